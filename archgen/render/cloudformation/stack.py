"""One CloudFormation template being built, and its YAML dump."""

from __future__ import annotations

from typing import Any

import yaml

from archgen import __version__
from archgen.design import Design
from archgen.render.cloudformation.intrinsics import get_att, ref, strip_none_principal
from archgen.render.terraform import ENVIRONMENT

LOG_RETENTION_DAYS = 365  # log groups keep a year, as the Terraform modules' log groups

Template = dict[str, Any]


class Stack:
    """One template being built: parameters, conditions, resources and outputs, tagged alike."""

    def __init__(self, design: Design, description: str, region: str) -> None:
        self.design = design
        self.region = region
        self.parameters: dict[str, Any] = {}
        self.conditions: dict[str, Any] = {}
        self.resources: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.rules: dict[str, Any] = {}
        # cfn-lint rules ignored in this template, each with the reason the template states
        self.lint_suppressions: dict[str, str] = {}
        self.description = description
        self.parameter("Environment", {
            "Type": "String",
            "Default": ENVIRONMENT,
            "AllowedPattern": "^[a-z][a-z0-9-]{1,15}$",
            "ConstraintDescription": "a short lowercase name such as prod or staging",
            "Description": "Environment name, part of every resource name.",
        })  # fmt: skip

    @property
    def prefix(self) -> str:
        """The name prefix every named resource starts with (as a Fn::Sub text)."""
        return f"{self.design.name}-${{Environment}}"

    def tags(self, extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The tags the Terraform providers set as default_tags (managed-by names the tool)."""
        tags: dict[str, Any] = {
            "archgen:service": self.design.name,
            "archgen:environment": ref("Environment"),
            "archgen:blueprint": self.design.blueprint,
            "managed-by": "cloudformation",
            "generated-by": "archgen",
        }
        tags |= extra or {}
        return [{"Key": key, "Value": value} for key, value in tags.items()]

    def tag_map(self) -> dict[str, Any]:
        """The same tags as a map (AWS Backup takes tags as a map)."""
        return {tag["Key"]: tag["Value"] for tag in self.tags()}

    def parameter(self, name: str, spec: dict[str, Any]) -> None:
        """Declare a template parameter."""
        self.parameters[name] = spec

    def add(self, name: str, type_: str, properties: dict[str, Any], **attributes: Any) -> None:
        """Add a resource; attributes such as Condition or DependsOn go beside its Properties."""
        resource: dict[str, Any] = {"Type": type_}
        for key in ("Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy"):
            if key in attributes:
                resource[key] = attributes[key]
        resource["Properties"] = properties
        self.resources[name] = resource

    def switch(self, parameter: str, condition: str, description: str) -> None:
        """A true/false parameter (default true) and the condition that holds when it is true.

        For account-wide singletons (a detector, a trail, a recorder) another stack or the organisation may have.
        """
        self.parameter(parameter, {
            "Type": "String",
            "Default": "true",
            "AllowedValues": ["true", "false"],
            "Description": description,
        })  # fmt: skip
        self.conditions[condition] = {"Fn::Equals": [ref(parameter), "true"]}

    def log_group(
        self,
        name: str,
        log_group_name: Any,
        *,
        retention_days: int = LOG_RETENTION_DAYS,
        key: str = "Key",
        retain: bool = True,
        condition: str | None = None,
    ) -> None:
        """A tagged log group encrypted with a key of the stack (the Region's by default).

        It outlives the stack (DeletionPolicy Retain) unless ``retain`` is false.
        """
        attributes: dict[str, Any] = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"} if retain else {}
        if condition is not None:
            attributes["Condition"] = condition
        self.add(
            name,
            "AWS::Logs::LogGroup",
            {
                "LogGroupName": log_group_name,
                "RetentionInDays": retention_days,
                "KmsKeyId": get_att(key, "Arn"),
                "Tags": self.tags(),
            },
            **attributes,
        )

    def output(self, name: str, description: str, value: Any, condition: str | None = None) -> None:
        """Declare a template output (optionally under a condition)."""
        output: dict[str, Any] = {"Description": description, "Value": value}
        if condition is not None:
            output["Condition"] = condition
        self.outputs[name] = output

    def template(self) -> Template:
        """The whole template as a dict, in CloudFormation key order."""
        template: Template = {"AWSTemplateFormatVersion": "2010-09-09", "Description": self.description}
        template["Metadata"] = {
            # the spec's free text lives here, as a plain string: a Description is capped at 1,024 characters and
            # cfn-lint reads "${...}" in it as a misplaced Fn::Sub reference
            "archgen": {
                "version": __version__,
                "service": self.design.name,
                "region": self.region,
                "description": self.design.description,
            },
        }
        suppressions: dict[str, str] = {}
        if "${" in self.design.description:
            # cfn-lint reads "${...}" anywhere as a Fn::Sub reference out of place, but CloudFormation substitutes
            # only inside Fn::Sub, so the spec's text stays literal here.
            suppressions["E1029"] = "the spec's description is quoted as free text; it contains '${' but is no Fn::Sub"
        suppressions |= self.lint_suppressions
        if suppressions:
            template["Metadata"]["archgen"]["lint_suppressions"] = suppressions
            template["Metadata"]["cfn-lint"] = {"config": {"ignore_checks": list(suppressions)}}
        template["Parameters"] = self.parameters
        # As the Terraform root's region variable: each stack is designed for one Region.
        template["Rules"] = self.rules | {
            "DesignedRegion": {
                "Assertions": [
                    {
                        "Assert": {"Fn::Equals": [ref("AWS::Region"), self.region]},
                        "AssertDescription": f"This stack is designed for {self.region}.",
                    }
                ]
            }
        }
        if self.conditions:
            template["Conditions"] = self.conditions
        template["Resources"] = self.resources
        template["Outputs"] = self.outputs
        return template


class _Dumper(yaml.SafeDumper):
    """Safe dumper; lists indented under their key (as cfn-lint's and yamllint's defaults expect)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, indentless=False)


def dump(template: Template) -> str:
    """The template as YAML: block style, keys in insertion order, every string safely quoted where needed."""
    text = yaml.dump(
        strip_none_principal(template),
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=10_000,
    )
    return (
        f"# Generated by archgen {__version__}. Regenerate with `archgen design` rather than editing by hand.\n{text}"
    )
