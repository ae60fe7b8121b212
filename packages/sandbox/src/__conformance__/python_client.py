"""The official Kubernetes Python client (Debian's python3-kubernetes) against the sandbox: a conformance client.

Prints one JSON line per step; the Jest suite (pythonClient.test.ts) checks them.
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
core = client.CoreV1Api()
apps = client.AppsV1Api()
out = {}

ns = core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py-ns", labels={"team": "py"})))
out["created"] = ns.metadata.name
out["phase"] = core.read_namespace("py-ns").status.phase
try:
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py-ns")))
except ApiException as e:
    out["again"] = [e.status, json.loads(e.body)["reason"]]

core.create_namespaced_config_map(
    "py-ns", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg", labels={"app": "py"}), data={"a": "1"})
)
# A dict body is a strategic merge patch, a list a JSON patch (the client picks the media type).
core.patch_namespaced_config_map("cfg", "py-ns", {"data": {"b": "2"}})
core.patch_namespaced_config_map("cfg", "py-ns", [{"op": "replace", "path": "/data/a", "value": "9"}])
out["data"] = core.read_namespaced_config_map("cfg", "py-ns").data
out["listed"] = [c.metadata.name for c in core.list_namespaced_config_map("py-ns", label_selector="app=py").items]

cm = core.read_namespaced_config_map("cfg", "py-ns")
cm.data["c"] = "3"
out["replaced"] = core.replace_namespaced_config_map("cfg", "py-ns", cm).data
try:
    cm.data["d"] = "stale"
    core.replace_namespaced_config_map("cfg", "py-ns", cm)
except ApiException as e:
    out["stale"] = [e.status, json.loads(e.body)["reason"]]

dry = core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py-dry")), dry_run="All")
out["dry"] = dry.metadata.name
try:
    core.read_namespace("py-dry")
except ApiException as e:
    out["dryStored"] = e.status

deployments = apps.list_namespaced_deployment("orders", label_selector="backstage.io/kubernetes-id=orders-api")
out["seeded"] = [[d.metadata.name, d.status.ready_replicas] for d in deployments.items]
core.delete_namespaced_config_map("cfg", "py-ns")
try:
    core.read_namespaced_config_map("cfg", "py-ns")
except ApiException as e:
    out["deleted"] = e.status
print(json.dumps(out))
