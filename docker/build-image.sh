#!/usr/bin/env bash
# Builds the Glaux image (default tag localhost/glaux:latest) with Podman:
#   1. mvn package of the launcher and what it needs (unless --no-maven), for launcher/target/lib
#   2. a minimal Java runtime with jlink from the build's JDK 25
#   3. stages target/image-context/ (runtime, jars, scripts, default etc/) and runs podman build
# Options: --tag NAME, --base-image IMAGE (default: the local debootstrap image, built when missing;
#          e.g. debian:bookworm-slim where a registry is reachable), --no-maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAG=localhost/glaux:latest
BASE_IMAGE=localhost/glaux-base:bookworm
MAVEN=true
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG=$2; shift ;;
    --base-image) BASE_IMAGE=$2; shift ;;
    --no-maven) MAVEN=false ;;
    *) echo "usage: $0 [--tag NAME] [--base-image IMAGE] [--no-maven]" >&2; exit 2 ;;
  esac
  shift
done

JDK=${JAVA_HOME_25:-}
for candidate in "$JDK" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && "$candidate/bin/java" -version 2>&1 | grep -q '"25'; then JDK=$candidate; break; fi
done
[ -x "$JDK/bin/jlink" ] || { echo "build-image: a JDK 25 with jlink is required (set JAVA_HOME_25)" >&2; exit 1; }

if [ "$MAVEN" = true ]; then
  echo "build-image: mvn package (launcher and its modules) ..."
  (cd "$ROOT" && mvn -o -q -B package -DskipTests -pl launcher -am) > "$ROOT/target-image-build.log" 2>&1 || {
    tail -40 "$ROOT/target-image-build.log" >&2; echo "build-image: maven failed (log: target-image-build.log)" >&2; exit 1; }
  rm -f "$ROOT/target-image-build.log"
fi
LIB="$ROOT/launcher/target/lib"
JAR=$(ls "$ROOT"/launcher/target/glaux-launcher-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)
[ -d "$LIB" ] && [ -n "$JAR" ] || { echo "build-image: no launcher/target/lib; run without --no-maven" >&2; exit 1; }

if [ "$BASE_IMAGE" = localhost/glaux-base:bookworm ]; then
  GLAUX_BASE_IMAGE=$BASE_IMAGE "$ROOT/docker/build-base-image.sh"
fi

CONTEXT="$ROOT/target/image-context"
rm -rf "$CONTEXT"
mkdir -p "$CONTEXT/lib" "$CONTEXT/bin" "$CONTEXT/etc"

# The Java runtime: java.se plus what the libraries reach for (Unsafe, the worker's HTTP listener,
# JMX for /metrics, Hadoop's Unix login module, DNS, zip file systems). Not jdk.charsets: every
# format Glaux reads is UTF-8 or ASCII, and java.base has the standard charsets.
RUNTIME_CACHE="$ROOT/target/image-java-runtime"
MODULES=java.se,jdk.unsupported,jdk.httpserver,jdk.management,jdk.security.auth,jdk.naming.dns,jdk.zipfs
if [ ! -x "$RUNTIME_CACHE/bin/java" ] || [ "$(cat "$RUNTIME_CACHE/.modules" 2>/dev/null)" != "$JDK $MODULES" ]; then
  echo "build-image: jlink ($MODULES) ..."
  rm -rf "$RUNTIME_CACHE"
  "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$RUNTIME_CACHE"
  # desktop natives java.beans does not load (the servers are headless)
  rm -f "$RUNTIME_CACHE"/lib/{libawt_xawt,libsplashscreen,libjsound,libfontmanager,libfreetype,liblcms,libjavajpeg,libmlib_image}.so
  command -v strip >/dev/null && strip --strip-unneeded "$RUNTIME_CACHE/lib/server/libjvm.so"
  echo "$JDK $MODULES" > "$RUNTIME_CACHE/.modules"
fi
cp -a "$RUNTIME_CACHE" "$CONTEXT/java"
rm -f "$CONTEXT/java/.modules"

# The jars, minus what no role of the image loads: S3Proxy's other storage back ends (Google Cloud,
# Azure, OpenStack, SFTP; the objectstore role uses its file system back end) and other platforms'
# natives of netty-tcnative. docker/test/deploy-test.sh runs every role against the result.
cp "$JAR" "$CONTEXT/lib/"
for jar in "$LIB"/*.jar; do
  name=$(basename "$jar")
  case "$name" in
    google-cloud-*|google-api-*|google-auth-library-*|google-http-client*|google-oauth-client-*|gax-*|api-common-*) continue ;;
    proto-google-iam-*|proto-google-cloud-*|opencensus-*|threetenbp-*|opentelemetry-gcp-resources-*|detector-resources-support-*) continue ;;
    azure-*|msal4j*|reactor-core-*|jna-platform-*) continue ;;
    openstack4j-*|json-patch-*|jackson-coreutils-*|msg-simple-*|btf-*|logging-interceptor-*|sshd-*) continue ;;
    netty-tcnative-boringssl-static-*-linux-aarch_64.jar|netty-tcnative-boringssl-static-*-osx-*|netty-tcnative-boringssl-static-*-windows-*) continue ;;
  esac
  cp "$jar" "$CONTEXT/lib/"
done
# zstd-jni, snappy-java, jna and jline-native carry natives for every platform (the image is
# linux/amd64): those are left out. Every jar is deflated again at level 9, 1.4 MB less in all;
# the entries and their contents stay as they were (signed jars stay valid).
python3 - "$CONTEXT/lib" <<'PYEOF'
import pathlib, re, sys, zipfile
other = re.compile(r'(darwin|mac|osx|win|freebsd|sunos|aix|aarch64|arm|ppc|s390|riscv|loongarch|mips|linux/i386|linux/x86/|linux-x86/)', re.I)
for jar in pathlib.Path(sys.argv[1]).glob('*.jar'):
    natives = re.match(r'(zstd-jni|snappy-java|jna-\d|jline-native)', jar.name)
    tmp = jar.with_suffix('.tmp')
    with zipfile.ZipFile(jar) as source, zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if natives and not item.filename.endswith(('.class', '/', '.MF', '.properties')) and other.search(item.filename):
                continue
            entry = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            entry.external_attr = item.external_attr
            entry.compress_type = zipfile.ZIP_STORED if item.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename), compresslevel=9)
    tmp.replace(jar)
PYEOF
cp "$ROOT"/docker/image/glaux-* "$CONTEXT/bin/"
cp "$ROOT"/docker/etc/*.properties "$CONTEXT/etc/"
cp "$ROOT/docker/Containerfile" "$CONTEXT/Containerfile"

echo "build-image: podman build $TAG (base $BASE_IMAGE) ..."
podman build --quiet --format docker --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$TAG" -f "$CONTEXT/Containerfile" "$CONTEXT" >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$TAG")
echo "build-image: built $TAG, $(( size / 1000000 )) MB"
