"""Intrinsic functions and IAM policy documents as plain dicts (Fn::GetAtt always in its long form)."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    """Ref of a parameter, resource or pseudo parameter."""
    return {"Ref": name}


def get_att(resource: str, attribute: str) -> dict[str, list[str]]:
    """Fn::GetAtt in its long (list) form, which dotted attribute names need."""
    return {"Fn::GetAtt": [resource, attribute]}


def fn_sub(text: str) -> dict[str, str] | str:
    """Fn::Sub of a text with ${...} references; a text without any stays a plain string."""
    return {"Fn::Sub": text} if "${" in text else text


def fn_if(condition: str, then: Any, otherwise: Any = None) -> dict[str, list[Any]]:
    """Fn::If; the otherwise branch defaults to AWS::NoValue (the property is left out)."""
    return {"Fn::If": [condition, then, ref("AWS::NoValue") if otherwise is None else otherwise]}


def logical_id(component_id: str, suffix: str = "") -> str:
    """A CloudFormation logical id from a component id: site-recovery → SiteRecovery."""
    return "".join(part.capitalize() for part in component_id.replace("_", "-").split("-")) + suffix


def policy_statement(sid: str, actions: list[str], resources: Any, principal: Any, **extra: Any) -> dict[str, Any]:
    """One IAM policy statement; ``effect`` and ``condition`` are optional keywords."""
    statement: dict[str, Any] = {"Sid": sid, "Effect": extra.pop("effect", "Allow"), "Principal": principal}
    statement |= {"Action": actions, "Resource": resources}
    if "condition" in extra:
        statement["Condition"] = extra.pop("condition")
    return statement


def policy_document(*statements: dict[str, Any]) -> dict[str, Any]:
    """An IAM policy document of the given statements."""
    return {"Version": "2012-10-17", "Statement": list(statements)}


def deny_insecure_transport(arn: Any) -> dict[str, Any]:
    """The bucket policy statement that refuses requests without TLS."""
    return policy_statement(
        "DenyInsecureTransport",
        ["s3:*"],
        [arn, {"Fn::Join": ["", [arn, "/*"]]}],
        "*",
        effect="Deny",
        condition={"Bool": {"aws:SecureTransport": "false"}},
    )


def pascal(text: str) -> str:
    """A text as PascalCase (logical ids and tag-safe names)."""
    return "".join(part.capitalize() for part in "".join(ch if ch.isalnum() else "-" for ch in text).split("-"))


def strip_none_principal(template: Any) -> Any:
    """Drop the ``Resource: None`` placeholders of trust policies (they take no Resource)."""
    if isinstance(template, dict):
        return {k: strip_none_principal(v) for k, v in template.items() if not (k == "Resource" and v is None)}
    if isinstance(template, list):
        return [strip_none_principal(v) for v in template]
    return template
