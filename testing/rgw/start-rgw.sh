#!/usr/bin/env bash
# Starts a single-node Ceph RADOS Gateway (Debian's radosgw: one mon, one bluestore OSD on a sparse
# file, radosgw on loopback) with HTTPS and real SSE-C / SSE-KMS, for the encryption tests.
#
#   testing/rgw/start-rgw.sh [--install] [DIR]     (default DIR: $GLAUX_RGW_DIR or /var/tmp/glaux-rgw)
#
# --install apt-get installs the Debian packages first (CI runs as root). Idempotent: when the gateway
# in DIR answers, nothing is done. Writes DIR/rgw.env, which the tests read:
#   RGW_HTTPS_ENDPOINT, RGW_CA_FILE (PEM to trust), RGW_ACCESS_KEY, RGW_SECRET_KEY,
#   RGW_KMS_KEY_ID (a key of RGW's "testing" KMS), RGW_BLOCK_FILE (the OSD's device, to grep for plaintext)
# Ports: 3300 and 6789 (mon), 7480 (http) and 7443 (https) on 127.0.0.1. Stop with stop-rgw.sh.
set -euo pipefail

INSTALL=false
if [ "${1:-}" = "--install" ]; then INSTALL=true; shift; fi
D=${1:-${GLAUX_RGW_DIR:-/var/tmp/glaux-rgw}}
HTTP_PORT=7480
HTTPS_PORT=7443

if $INSTALL && ! command -v radosgw >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends \
    radosgw ceph-mon ceph-osd ceph-common openssl curl </dev/null
fi
for tool in radosgw ceph-mon ceph-osd ceph-authtool monmaptool radosgw-admin openssl curl; do
  command -v "$tool" >/dev/null || { echo "start-rgw.sh: $tool is not installed (run with --install as root)" >&2; exit 1; }
done

if [ -f "$D/rgw.env" ] && curl -s -o /dev/null --cacert "$D/tls/ca.pem" "https://127.0.0.1:$HTTPS_PORT/"; then
  echo "rgw already running: https://127.0.0.1:$HTTPS_PORT ($D)"
  exit 0
fi

# a stale directory (processes gone, e.g. after a reboot): stop leftovers and start over
if [ -d "$D/run" ]; then
  for pidfile in "$D"/run/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
fi
rm -rf "$D"
mkdir -p "$D"/{run,log,mon.a,osd.0,tls}
chmod 700 "$D"

# TLS: a CA and a server certificate for 127.0.0.1 / localhost
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Glaux test RGW CA" \
  -keyout "$D/tls/ca.key" -out "$D/tls/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$D/tls/rgw.key" -out "$D/tls/rgw.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$D/tls/ext.cnf"
openssl x509 -req -in "$D/tls/rgw.csr" -CA "$D/tls/ca.pem" -CAkey "$D/tls/ca.key" -CAcreateserial -days 3650 \
  -extfile "$D/tls/ext.cnf" -out "$D/tls/rgw.crt" 2>/dev/null
cat "$D/tls/rgw.crt" "$D/tls/rgw.key" > "$D/tls/rgw.pem"
chmod 600 "$D"/tls/*.key "$D/tls/rgw.pem"

FSID=$(cat /proc/sys/kernel/random/uuid)
K1=$(openssl rand -base64 32)
K2=$(openssl rand -base64 32)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
ms client mode = crc secure
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
run dir = $D/run
log file = $D/log/\$name.log
admin socket = $D/run/\$name.asok
pid file = $D/run/\$name.pid
keyring = $D/keyring
[mon.a]
mon data = $D/mon.a
[osd.0]
osd data = $D/osd.0
osd objectstore = bluestore
bluestore block path = $D/osd0.block
bluestore block create = true
bluestore block size = 2147483648
bluestore fsck on mount = false
osd memory target = 939524096
bluestore cache autotune = false
bluestore cache size = 134217728
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$HTTP_PORT ssl_endpoint=127.0.0.1:$HTTPS_PORT ssl_certificate=$D/tls/rgw.pem
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = testkey-1=$K1 testkey-2=$K2
rgw dns name = localhost
CONF
chmod 600 "$D/ceph.conf"
C=(-c "$D/ceph.conf")
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
monmaptool --create --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' --fsid "$FSID" "$D/monmap" >/dev/null
ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon "${C[@]}" -i a
OSDUUID=$(cat /proc/sys/kernel/random/uuid)
timeout 120 ceph "${C[@]}" osd new "$OSDUUID" >/dev/null
ceph-osd "${C[@]}" -i 0 --mkfs --osd-uuid "$OSDUUID" >"$D/log/osd-mkfs.out" 2>&1
ceph-osd "${C[@]}" -i 0 >"$D/log/osd-start.out" 2>&1
radosgw "${C[@]}" -n client.rgw.a
for _ in $(seq 1 1800); do
  curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/" && break
  sleep 0.1
done
curl -s -o /dev/null --cacert "$D/tls/ca.pem" "https://127.0.0.1:$HTTPS_PORT/" \
  || { echo "start-rgw.sh: radosgw did not come up; see $D/log" >&2; tail -20 "$D"/log/client.rgw.a.log >&2 || true; exit 1; }

ACCESS_KEY=GLAUXRGWACCESSKEY
SECRET_KEY=$(openssl rand -hex 20)
radosgw-admin "${C[@]}" user create --uid=glaux --display-name=glaux \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
umask 077
cat > "$D/rgw.env" <<ENV
RGW_HTTPS_ENDPOINT=https://127.0.0.1:$HTTPS_PORT
RGW_HTTP_ENDPOINT=http://127.0.0.1:$HTTP_PORT
RGW_CA_FILE=$D/tls/ca.pem
RGW_ACCESS_KEY=$ACCESS_KEY
RGW_SECRET_KEY=$SECRET_KEY
RGW_KMS_KEY_ID=testkey-1
RGW_BLOCK_FILE=$D/osd0.block
RGW_LOG_DIR=$D/log
ENV
echo "rgw ready: https://127.0.0.1:$HTTPS_PORT ($D)"
