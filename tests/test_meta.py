"""Meta-tests that keep the library and data files honest: everything loads, everything is covered, ids are unique."""

from __future__ import annotations

from archgen.api import design_from_spec
from archgen.blueprint import KIND_PLACEHOLDERS, blueprint_library
from archgen.components import component_catalogue
from archgen.data_kinds import data_kind_table
from archgen.plan.compute import COMPUTE_CHOICES
from archgen.plan.edge import EDGE_CHOICES
from archgen.recovery_data import recovery_data
from archgen.regions import region_catalogue
from archgen.resources import blueprints_dir
from archgen.spec_loader import load_spec
from tests.conftest import EXAMPLES


def test_every_blueprint_folder_loads_with_its_id() -> None:
    folders = sorted(p.name for p in blueprints_dir().iterdir() if p.is_dir())
    assert [b.id for b in blueprint_library()] == folders


def test_library_has_the_founding_patterns() -> None:
    ids = {b.id for b in blueprint_library()}
    assert {"static-site", "serverless-api", "container-service", "kubernetes-platform", "event-pipeline"} <= ids


def test_every_blueprint_has_a_readme_and_an_example_that_picks_it() -> None:
    picked = set()
    for path in EXAMPLES.glob("*.yaml"):
        _, design = design_from_spec(load_spec(path))
        picked.add(design.blueprint)
    for blueprint in blueprint_library():
        assert blueprint.readme.strip(), f"{blueprint.id} has no README.md"
        assert blueprint.id in picked, f"no example picks {blueprint.id}"


def test_every_kind_a_blueprint_names_is_in_the_vocabulary() -> None:
    kinds = set(component_catalogue().kinds) | set(KIND_PLACEHOLDERS)
    for blueprint in blueprint_library():
        for component in blueprint.components:
            assert component.kind in kinds


def test_every_data_choice_has_a_component_kind_replication_figures_and_a_summary() -> None:
    table = data_kind_table()
    catalogue = component_catalogue()
    replication = recovery_data().replication
    choices = {c for info in table.kinds.values() for group in info.engines.values() for c in group}
    assert choices == set(catalogue.data_choices)
    assert choices == set(replication)
    assert choices == set(table.summaries)


def test_every_compute_choice_has_a_kind_and_a_scale_out_time() -> None:
    deployable = set(COMPUTE_CHOICES) - {"none"}
    assert deployable == set(component_catalogue().compute)
    assert set(COMPUTE_CHOICES) == set(recovery_data().scale_from_zero_seconds)
    for blueprint in blueprint_library():
        assert set(blueprint.compute) <= set(COMPUTE_CHOICES)


def test_edge_choices_match_the_catalogue() -> None:
    assert set(EDGE_CHOICES) - {"none"} == set(component_catalogue().edge_choices)


def test_strategies_are_the_four_aws_strategies_cheapest_first() -> None:
    assert list(recovery_data().strategies) == ["backup-restore", "pilot-light", "warm-standby", "active-active"]


def test_region_catalogue_is_sorted_unique_and_sourced() -> None:
    catalogue = region_catalogue()
    codes = [r.code for r in catalogue.regions]
    assert codes == sorted(set(codes))
    assert catalogue.source.startswith("https://")
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(codes)


def test_component_sla_figures_are_percentages() -> None:
    for kind, info in component_catalogue().kinds.items():
        if info.sla is not None:
            for value in (info.sla.multi_az, info.sla.single_az, info.sla.regional):
                assert value is None or 90 <= value <= 100, kind
