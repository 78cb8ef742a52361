#!/usr/bin/env python3
"""Adapts docker/k8s/ to `podman kube play` (Podman 4.3), for docker/test/deploy-test.sh.

Podman runs pods, deployments, config maps and volume claims, but has no Services (pods reach each other
by pod name, <deployment>-pod-<n>), ignores StatefulSets and Jobs, and reads Secrets only from its own
secret store (a JSON object of base64 values). This writes play.yaml with:
  - glaux-env pointing at pod names instead of Service names;
  - the StatefulSet as a Deployment with a claim, the Job as a Pod;
  - Services, the autoscaler and the disruption budget left out (nothing to run them);
  - emptyDir volumes left out (the image's own volumes take their place);
  - the coordinator's HTTPS port published on 127.0.0.1:PORT, and no other port (Podman 4.3 would
    publish every containerPort on all interfaces).
With --secrets it creates the Podman secrets instead: glaux-s3 from the manifest, glaux-tls and glaux-join from
the files in DIR/tls that their placeholders name (REPLACE_WITH_tls/<file>).
Everything else (images, args, env, probes, resources, security context) is the manifests' own.
"""
import argparse
import base64
import json
import pathlib
import subprocess
import sys

import yaml

SERVICES = {
    "glaux-coordinator": "glaux-coordinator-pod-0",
    "glaux-metastore": "glaux-metastore-pod-0",
    "glaux-objectstore": "glaux-objectstore-pod-0",
}


def documents(source):
    docs = []
    for path in sorted(pathlib.Path(source).glob("*.yaml")):
        docs.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return docs


def drop_empty_dirs(pod_spec):
    empty = {v["name"] for v in pod_spec.get("volumes", []) if "emptyDir" in v}
    pod_spec["volumes"] = [v for v in pod_spec.get("volumes", []) if v["name"] not in empty]
    for container in pod_spec["containers"]:
        container["volumeMounts"] = [m for m in container.get("volumeMounts", []) if m["name"] not in empty]


def play(args):
    out = []
    for doc in documents(args.source):
        kind = doc["kind"]
        name = doc["metadata"]["name"]
        if kind in ("Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret"):
            continue
        if kind == "ConfigMap" and name == "glaux-env":
            for key, value in doc["data"].items():
                for service, pod in SERVICES.items():
                    value = value.replace("//" + service + ":", "//" + pod + ":")
                doc["data"][key] = value
        if kind == "StatefulSet":
            spec = doc["spec"]
            template = spec["template"]
            for claim in spec.pop("volumeClaimTemplates", []):
                claim_name = name + "-" + claim["metadata"]["name"]
                out.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                            "metadata": {"name": claim_name}, "spec": claim["spec"]})
                template["spec"].setdefault("volumes", []).append(
                    {"name": claim["metadata"]["name"], "persistentVolumeClaim": {"claimName": claim_name}})
            spec.pop("serviceName", None)
            doc["kind"] = "Deployment"
        if kind == "Job":
            template = doc["spec"]["template"]
            doc = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": name + "-pod-0", "labels": template["metadata"]["labels"]},
                   "spec": template["spec"]}
            doc["spec"]["restartPolicy"] = "OnFailure"
            for container in doc["spec"]["containers"]:
                if "--rows-per-day" in container.get("args", []):
                    container["args"][container["args"].index("--rows-per-day") + 1] = str(args.rows_per_day)
        pod_spec = doc["spec"] if doc["kind"] == "Pod" else doc.get("spec", {}).get("template", {}).get("spec")
        if pod_spec:
            drop_empty_dirs(pod_spec)
            for container in pod_spec["containers"]:
                container["image"] = args.image
                if name == "glaux-coordinator":
                    for port in container.get("ports", []):
                        if port["containerPort"] == 8443:
                            port["hostPort"] = args.port
                            port["hostIP"] = "127.0.0.1"
                # Podman 4.3 publishes every containerPort on the host's 0.0.0.0 (Kubernetes does not):
                # keep only the one published on purpose
                container["ports"] = [port for port in container.get("ports", []) if "hostPort" in port]
        out.append(doc)
    target = pathlib.Path(args.target)
    (target / "play.yaml").write_text(yaml.safe_dump_all(out, sort_keys=False))


def secrets(args):
    created = []
    target = pathlib.Path(args.target)
    for doc in documents(args.source):
        if doc["kind"] != "Secret":
            continue
        name = doc["metadata"]["name"]
        values = {}
        for key, value in doc.get("stringData", {}).items():
            # placeholders name the file tls-init wrote: REPLACE_WITH_tls/<file>
            if value.startswith("REPLACE_WITH_"):
                values[key] = (target / value[len("REPLACE_WITH_"):]).read_bytes()
            else:
                values[key] = value.encode()
        values.update({key: base64.b64decode(value) for key, value in doc.get("data", {}).items()})
        payload = json.dumps({key: base64.b64encode(value).decode() for key, value in values.items()})
        subprocess.run(["podman", "secret", "rm", name], capture_output=True)
        subprocess.run(["podman", "secret", "create", name, "-"], input=payload.encode(), check=True, capture_output=True)
        created.append(name)
    (target / "secrets.txt").write_text("\n".join(created) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--secrets", action="store_true")
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--port", type=int, default=18443)
    parser.add_argument("--rows-per-day", type=int, default=340000)
    parser.add_argument("--image", default="localhost/glaux:latest")
    args = parser.parse_args()
    secrets(args) if args.secrets else play(args)


if __name__ == "__main__":
    sys.exit(main())
