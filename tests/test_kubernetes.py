"""The Kubernetes manifests: real ``kubectl kustomize`` builds, strict schema validation for Kubernetes 1.31, and
the security, sizing and network properties read back from the parsed objects.

kubectl is required: without it these tests fail, they never skip. ``kubernetes-validate`` (a dev dependency)
validates every document of every overlay's kustomize output, and every base file, with ``strict=True``
(unknown fields are errors).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from archgen.api import DesignOptions, design_from_spec
from archgen.api import design as run_design
from archgen.cli import app
from archgen.components import component_catalogue
from archgen.design import Component, Design, number
from archgen.errors import UserError
from archgen.render import render_files
from archgen.render.kubernetes import CONTAINER_COMPUTE, conventions, cpu_quantity, kubernetes_wanted
from archgen.spec import Spec
from archgen.spec_loader import cross_field_problems, load_spec
from tests.conftest import EXAMPLES
from tests.validators import checkov

KUBERNETES_VERSION = "1.31"
OVERLAYS = ("dev", "staging", "prod")
Doc = dict[str, Any]

# A steady container fleet big enough for EC2 instances to beat Fargate: the one EC2 design in the tests.
EC2_SPEC = """\
name: fleet
workload: web-api
traffic: {peak_rps: 5000, average_rps: 4000}
availability: {slo: 99.9, rto: 4h, rpo: 1h}
regions: {primary: us-east-1}
data:
  - {name: orders, kind: relational, engine: postgresql, size_gb: 20}
  - {name: sessions, kind: cache, size_gb: 2}
services:
  - {name: api, port: 8080, public: true}
  - {name: worker, port: 9000}
"""


def kubectl() -> str:
    """The kubectl binary; its absence fails the test (these tests must never pass by skipping)."""
    path = shutil.which("kubectl")
    if path is None:
        pytest.fail("kubectl is not on PATH: the Kubernetes tests need it to build the overlays (install kubectl)")
    return path


def kustomize(folder: Path) -> list[Doc]:
    """``kubectl kustomize folder``, parsed."""
    result = subprocess.run(
        [kubectl(), "kustomize", str(folder)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"kubectl kustomize {folder} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def validate_strictly(docs: list[Doc], where: str) -> None:
    """Every document against the Kubernetes 1.31 strict schema; a kind without a schema is a failure too."""
    assert docs, f"{where}: no documents"
    for doc in docs:
        name = f"{where}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(
                f"{name} is invalid for Kubernetes {KUBERNETES_VERSION}: {'.'.join(map(str, exc.path))}: {exc.message}"
            )
        except kubernetes_validate.SchemaNotFoundError as exc:
            pytest.fail(f"{name}: {exc.message}")


@dataclass(frozen=True)
class Case:
    """One design rendered to disk, with its overlays built."""

    design: Design
    root: Path
    overlays: dict[str, list[Doc]]
    base: list[Doc]

    def services(self) -> list[Component]:
        kind = component_catalogue().compute[self.design.decisions["compute"].choice].service_kind
        return [c for c in self.design.components if c.kind == kind and c.region == self.design.primary_region]

    def objects(self, env: str, kind: str) -> dict[str, Doc]:
        return {doc["metadata"]["name"]: doc for doc in self.overlays[env] if doc["kind"] == kind}


# (case id, spec, --kubernetes): the EKS example gets manifests by default; container designs when asked.
CASES = {
    "payments-platform": (EXAMPLES / "payments-platform.yaml", False),
    "orders-api": (EXAMPLES / "orders-api.yaml", True),
    "clickstream": (EXAMPLES / "clickstream.yaml", True),
    "fleet-ec2": (None, True),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Case:
    path, requested = CASES[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    if path is None:
        path = folder / "spec.yaml"
        path.write_text(EC2_SPEC, encoding="utf-8")
    result = run_design(path, DesignOptions(out=folder / "out", kubernetes=requested))
    root = result.out / "kubernetes"
    overlays = {env: kustomize(root / "overlays" / env) for env in OVERLAYS}
    return Case(result.design, root, overlays, kustomize(root / "base"))


def test_the_cases_cover_eks_ecs_and_ec2(case: Case) -> None:
    assert (
        case.design.decisions["compute"].choice
        == {
            "payments-platform": "eks",
            "orders-api": "ecs-fargate",
            "clickstream": "ecs-fargate",
            "fleet": "ec2-autoscaling",
        }[case.design.name]
    )


def test_every_overlay_builds_and_every_document_validates_strictly(case: Case) -> None:
    for env, docs in case.overlays.items():
        validate_strictly(docs, f"overlays/{env}")
        kinds = {doc["kind"] for doc in docs}
        assert {
            "Namespace",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "ServiceAccount",
            "ConfigMap",
        } <= kinds
    validate_strictly(case.base, "base")


def test_every_base_file_validates_strictly(case: Case) -> None:
    files = [p for p in sorted((case.root / "base").rglob("*.yaml")) if p.name != "kustomization.yaml"]
    assert files
    for path in files:
        validate_strictly([d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d], str(path))


def test_every_generated_yaml_file_starts_with_the_archgen_comment(case: Case) -> None:
    files = [p for p in sorted(case.root.rglob("*")) if p.suffix in (".yaml", ".env")]
    assert len(files) > 10
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(f"# Generated by archgen {case.design.archgen_version} "), path
        if path.suffix == ".yaml":
            list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_namespace_enforces_restricted_pod_security_at_the_cluster_version(case: Case) -> None:
    clusters = [c for c in case.design.components if c.kind == "eks-cluster" and c.region == case.design.primary_region]
    version = clusters[0].properties["kubernetes_version"] if clusters else conventions().default_kubernetes_version
    for env in OVERLAYS:
        (namespace,) = case.objects(env, "Namespace").values()
        assert namespace["metadata"]["name"] == case.design.name
        labels = namespace["metadata"]["labels"]
        for mode in ("enforce", "audit", "warn"):
            assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"
            assert labels[f"pod-security.kubernetes.io/{mode}-version"] == f"v{version}"
        assert all(
            doc["metadata"].get("namespace") == case.design.name
            for doc in case.overlays[env]
            if doc["kind"] != "Namespace"
        )


def test_pods_run_restricted_with_probes_on_the_service_port(case: Case) -> None:
    for env in OVERLAYS:
        deployments = case.objects(env, "Deployment")
        assert sorted(deployments) == sorted(str(c.properties["service"]) for c in case.services())
        for component in case.services():
            pod = deployments[str(component.properties["service"])]["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True
            assert pod["securityContext"]["runAsUser"] == 10001
            assert pod["securityContext"]["runAsGroup"] == 10001
            assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
            assert pod["automountServiceAccountToken"] is False
            assert pod["serviceAccountName"] == component.properties["service"]
            zones = [t for t in pod["topologySpreadConstraints"] if t["topologyKey"] == "topology.kubernetes.io/zone"]
            assert len(zones) == 1
            assert zones[0]["maxSkew"] == 1
            (container,) = pod["containers"]
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False
            assert security["readOnlyRootFilesystem"] is True
            assert security["capabilities"] == {"drop": ["ALL"]}
            (port,) = container["ports"]
            assert port["containerPort"] == component.properties["port"]
            probes = {kind: container[f"{kind}Probe"]["httpGet"] for kind in ("startup", "liveness", "readiness")}
            assert {kind: probe["path"] for kind, probe in probes.items()} == {
                "startup": "/healthz",
                "liveness": "/healthz",
                "readiness": "/readyz",
            }
            assert all(probe["port"] == port["name"] for probe in probes.values())
            tmp = next(m for m in container["volumeMounts"] if m["mountPath"] == "/tmp")
            volume = next(v for v in pod["volumes"] if v["name"] == tmp["name"])
            assert "emptyDir" in volume


def cpu_cores(quantity: str) -> float:
    return int(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def counts(component: Component) -> tuple[int, int, int]:
    keys = ("min_count", "desired_count", "max_count")
    if component.kind == "ec2-autoscaling-group":  # instance counts under the usual keys, processes under task_*
        keys = ("task_min_count", "task_desired_count", "task_max_count")
    minimum, desired, maximum = (int(number(component.properties, key)) for key in keys)
    return minimum, desired, maximum


def test_requests_are_the_design_size_and_prod_scaling_is_the_design(case: Case) -> None:
    for component in case.services():
        name = str(component.properties["service"])
        minimum, desired, maximum = counts(component)
        for env in OVERLAYS:
            (container,) = case.objects(env, "Deployment")[name]["spec"]["template"]["spec"]["containers"]
            resources = container["resources"]
            assert math.isclose(
                cpu_cores(resources["requests"]["cpu"]), number(component.properties, "cpu"), abs_tol=0.001
            )
            assert resources["requests"]["memory"] == f"{int(number(component.properties, 'memory_mib'))}Mi"
            assert resources["limits"] == {"memory": resources["requests"]["memory"]}  # no CPU limit, by decision
            hpa = case.objects(env, "HorizontalPodAutoscaler")[name]["spec"]
            assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
            assert 1 <= hpa["minReplicas"] < hpa["maxReplicas"] <= maximum
            (metric,) = hpa["metrics"]
            assert metric["resource"]["name"] == "cpu"
            assert 0 < metric["resource"]["target"]["averageUtilization"] <= 100
            pdb = case.objects(env, "PodDisruptionBudget")[name]["spec"]
            assert pdb.get("maxUnavailable") == 1 or pdb.get("minAvailable") == 1
        prod = case.objects("prod", "HorizontalPodAutoscaler")[name]["spec"]
        assert (prod["minReplicas"], prod["maxReplicas"]) == (minimum, maximum)
        assert case.objects("prod", "Deployment")[name]["spec"]["replicas"] == desired
        dev = case.objects("dev", "HorizontalPodAutoscaler")[name]["spec"]
        assert dev["minReplicas"] == 1
        assert case.objects("dev", "Deployment")[name]["spec"]["replicas"] == 1
        assert dev["maxReplicas"] <= prod["maxReplicas"]
        staging = case.objects("staging", "HorizontalPodAutoscaler")[name]["spec"]
        assert staging["minReplicas"] == minimum
        assert dev["maxReplicas"] <= staging["maxReplicas"] <= prod["maxReplicas"]


def test_images_are_pinned_never_latest(case: Case) -> None:
    names = sorted(str(c.properties["service"]) for c in case.services())
    base = {d["metadata"]["name"]: d for d in case.base if d["kind"] == "Deployment"}
    tag = conventions().image_tag
    assert sorted(c["image"] for d in base.values() for c in d["spec"]["template"]["spec"]["containers"]) == [
        f"{name}:{tag}" for name in names
    ]
    for env in OVERLAYS:
        for deployment in case.objects(env, "Deployment").values():
            for container in deployment["spec"]["template"]["spec"]["containers"]:
                assert container["imagePullPolicy"] == "Always"
                image = container["image"]
                match = re.fullmatch(r"(?P<repo>[^@]+?)(?::(?P<tag>[\w][\w.-]*))?", image)
                assert match, image
                assert match["tag"], f"{image} has no tag"
                assert match["tag"] != "latest"
                assert match["repo"].endswith(f"/{container['name']}")


def test_network_policies_deny_by_default_and_open_what_the_design_connects(case: Case) -> None:
    catalogue = component_catalogue()
    network = next(c for c in case.design.components if c.kind == "vpc" and c.region == case.design.primary_region)
    for env in OVERLAYS:
        policies = case.objects(env, "NetworkPolicy")
        deny = [
            p["spec"]
            for p in policies.values()
            if p["spec"]["podSelector"] == {}
            and sorted(p["spec"].get("policyTypes", [])) == ["Egress", "Ingress"]
            and not p["spec"].get("ingress")
            and not p["spec"].get("egress")
        ]
        assert len(deny) == 1, "no default-deny NetworkPolicy for ingress and egress"
        dns = policies["allow-dns"]["spec"]["egress"]
        assert {(p["protocol"], p["port"]) for rule in dns for p in rule["ports"]} == {("UDP", 53), ("TCP", 53)}
        for component in case.services():
            policy = policies[f"{component.properties['service']}-allow"]["spec"]
            port = component.properties["port"]
            alb_sources = {
                peer["ipBlock"]["cidr"]
                for rule in policy.get("ingress") or []
                for peer in rule["from"]
                if "ipBlock" in peer and any(p["port"] == port for p in rule["ports"])
            }
            public = component.properties["public"] is True
            subnets = network.properties["public_subnets"]
            assert isinstance(subnets, tuple)
            assert alb_sources == (set(subnets) if public else set())
            stores = [case.design.component(c.target) for c in case.design.connections if c.source == component.id]
            stores = [s for s in stores if catalogue.kinds[s.kind].category in ("data", "messaging")]
            vpc_ports = {conventions().store_ports[s.kind] for s in stores if catalogue.kinds[s.kind].in_vpc}
            egress = policy.get("egress") or []
            to_vpc = {
                p["port"]
                for rule in egress
                for peer in rule["to"]
                if peer.get("ipBlock", {}).get("cidr") == network.properties["cidr"]
                for p in rule["ports"]
            }
            assert to_vpc == vpc_ports
            to_internet = {
                p["port"]
                for rule in egress
                for peer in rule["to"]
                if peer.get("ipBlock", {}).get("cidr") == "0.0.0.0/0"
                for p in rule["ports"]
            }
            assert to_internet == ({443} if stores else set())


def test_service_accounts_name_the_terraform_irsa_roles(case: Case) -> None:
    for env in OVERLAYS:
        accounts = case.objects(env, "ServiceAccount")
        for component in case.services():
            account = accounts[str(component.properties["service"])]
            assert account["automountServiceAccountToken"] is False
            assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == (
                f"arn:aws:iam::000000000000:role/{case.design.name}-{env}-{component.id}"
            )


def test_public_services_share_one_alb_through_ingress(case: Case) -> None:
    public = sorted(str(c.properties["service"]) for c in case.services() if c.properties["public"] is True)
    for env in OVERLAYS:
        ingresses = case.objects(env, "Ingress")
        assert sorted(ingresses) == public
        for name, ingress in ingresses.items():
            annotations = ingress["metadata"]["annotations"]
            assert ingress["spec"]["ingressClassName"] == "alb"
            assert annotations["alb.ingress.kubernetes.io/scheme"] == "internet-facing"
            assert annotations["alb.ingress.kubernetes.io/target-type"] == "ip"
            assert annotations["alb.ingress.kubernetes.io/group.name"] == case.design.name
            # HTTPS only: no plaintext listener to redirect from
            assert "alb.ingress.kubernetes.io/ssl-redirect" not in annotations
            assert yaml.safe_load(annotations["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTPS": 443}]
            assert annotations["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:")
            assert annotations["alb.ingress.kubernetes.io/healthcheck-path"] == "/readyz"
            (rule,) = ingress["spec"]["rules"]
            (path,) = rule["http"]["paths"]
            assert path["backend"]["service"]["name"] == name
            assert path["path"] == ("/" if len(public) == 1 else f"/{name}")


def test_environment_setting_reaches_each_service(case: Case) -> None:
    for env in OVERLAYS:
        maps = case.objects(env, "ConfigMap")
        for deployment in case.objects(env, "Deployment").values():
            (container,) = deployment["spec"]["template"]["spec"]["containers"]
            (source,) = container["envFrom"]
            data = maps[source["configMapRef"]["name"]]["data"]
            assert data["ENVIRONMENT"] == env
            assert data["SERVICE_NAME"] == deployment["metadata"]["name"]
            assert data["AWS_REGION"] == case.design.primary_region


def test_checkov_finds_nothing_in_the_raw_folder(case: Case) -> None:
    """checkov reads every file as deployed, not the kustomize output: so every base object names its namespace,
    the overlays hold no partial manifests (their patches are inline), and accepted findings carry a reason."""
    for env in OVERLAYS:
        assert sorted(p.name for p in (case.root / "overlays" / env).iterdir()) == [
            "kustomization.yaml",
            "settings.env",
        ]
    for path in sorted((case.root / "base").rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc and doc["kind"] not in ("Kustomization", "Namespace"):
                assert doc["metadata"]["namespace"] == case.design.name, path
            if doc and doc["kind"] == "Deployment":
                skips = {
                    key: value
                    for key, value in doc["metadata"]["annotations"].items()
                    if key.startswith("checkov.io/skip")
                }
                assert sorted(value.split("=")[0] for value in skips.values()) == ["CKV_K8S_11", "CKV_K8S_43"]
                assert all(len(value.split("=")) == 2 and len(value.split("=")[1]) > 20 for value in skips.values())
    failures = checkov(case.root, ["kubernetes"])
    assert [str(f) for f in failures] == []


# --- which designs get manifests -----------------------------------------------------------------------------


def design_of(example: str) -> Design:
    return design_from_spec(load_spec(EXAMPLES / f"{example}.yaml"))[1]


def test_eks_designs_get_manifests_and_container_designs_only_when_asked() -> None:
    assert any(name.startswith("kubernetes/") for name in render_files(design_of("payments-platform")))
    orders = design_of("orders-api")
    assert not any(name.startswith("kubernetes/") for name in render_files(orders))
    assert any(name.startswith("kubernetes/") for name in render_files(orders, ("docs", "kubernetes")))


@pytest.mark.parametrize("example", ["notes-api", "marketing-site"])
def test_kubernetes_flag_on_a_design_without_containers_exits_2(example: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["design", str(EXAMPLES / f"{example}.yaml"), "--out", str(out), "--kubernetes"])
    assert result.exit_code == 2, result.output
    assert "--kubernetes needs a container design" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    with pytest.raises(UserError):
        kubernetes_wanted(design_of(example), requested=True)


def test_cli_kubernetes_flag_writes_the_manifests(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["design", str(EXAMPLES / "orders-api.yaml"), "--out", str(out), "--kubernetes"])
    assert result.exit_code == 0, result.output
    assert (out / "kubernetes" / "overlays" / "prod" / "kustomization.yaml").is_file()


def test_missing_kubectl_fails_rather_than_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pytest.fail.Exception, match="kubectl is not on PATH"):
        kubectl()


@pytest.mark.parametrize(
    ("vcpu", "quantity"),
    [(0.5, "500m"), (1.0, "1"), (0.25, "250m"), (16, "16"), (0.1, "100m"), (1.5, "1500m"), (0.0001, "1m")],
)
def test_cpu_quantities(vcpu: float, quantity: str) -> None:
    assert cpu_quantity(vcpu) == quantity


# --- any valid spec yields YAML that parses ------------------------------------------------------------------

LABEL = st.from_regex(r"[a-z]([a-z0-9-]{0,30}[a-z0-9])?", fullmatch=True)
STORES = st.sampled_from(
    [
        [],
        [{"name": "main", "kind": "relational", "engine": "postgresql"}],
        [{"name": "cache", "kind": "cache"}, {"name": "jobs", "kind": "queue"}],
        [{"name": "items", "kind": "key-value"}, {"name": "files", "kind": "object"}],
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=LABEL.filter(lambda n: n != "default" and not n.startswith("kube-")),
    description=st.text(max_size=300),
    services=st.lists(
        st.tuples(LABEL, st.integers(1, 65535), st.booleans()), min_size=1, max_size=4, unique_by=lambda s: s[0]
    ),
    stores=STORES,
)
def test_any_valid_spec_yields_yaml_that_parses(
    name: str, description: str, services: list[tuple[str, int, bool]], stores: list[dict[str, str]]
) -> None:
    spec = Spec.model_validate(
        {
            "name": name,
            "description": description,
            "workload": "web-api",
            "traffic": {"peak_rps": 1000, "average_rps": 400},
            "availability": {"slo": 99.9, "rto": "1h", "rpo": "15m"},
            "regions": {"primary": "eu-west-1"},
            "data": stores,
            "services": [
                {"name": s, "port": p, "public": public or i == 0} for i, (s, p, public) in enumerate(services)
            ],
            "team": {"kubernetes": True},
        }
    )
    assume(not cross_field_problems(spec))
    _, design = design_from_spec(spec)
    assert design.decisions["compute"].choice in CONTAINER_COMPUTE
    files = render_files(design, ("kubernetes",))
    manifests = {n: c.decode("utf-8") for n, c in files.items() if n.startswith("kubernetes/") and n.endswith(".yaml")}
    assert manifests
    parsed = {n: [d for d in yaml.safe_load_all(text) if d] for n, text in manifests.items()}
    (namespace,) = parsed["kubernetes/base/namespace.yaml"]
    assert namespace["metadata"].get("annotations", {}).get("kubernetes.io/description", "") == description
    for service, port, _ in services:
        (svc,) = parsed[f"kubernetes/base/{service}/service.yaml"]
        assert svc["spec"]["ports"][0]["port"] == port
        (deployment,) = parsed[f"kubernetes/base/{service}/deployment.yaml"]
        assert deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == port
