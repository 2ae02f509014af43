"""The security baseline and what each compliance regime adds to it (``data/security.yaml``)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from archgen.resources import load_data


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Baseline(_Frozen):
    """What every design gets."""

    audit_retention_days: int = Field(ge=1)
    audit_archive_after_days: int | None = None
    audit_cloudwatch_retention_days: int = Field(ge=1)
    finding_publishing_frequency: str
    keep_images: int = Field(ge=1)
    config_retention_days: int = Field(ge=1)
    vault_lock_max_retention_days: int = Field(ge=1)


class RegimeSettings(_Frozen):
    """What one regime raises (longer retention) or turns on; unset fields leave the baseline alone."""

    audit_retention_days: int | None = None
    audit_archive_after_days: int | None = None
    config_retention_days: int | None = None
    runtime_monitoring: bool = False
    enhanced_image_scanning: bool = False
    backup_vault_lock: bool = False


class ConfigRule(_Frozen):
    """One AWS managed Config rule the conformance pack may hold."""

    source: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_]*$")
    why: str
    regimes: tuple[str, ...]
    account: bool = False  # checks an account-wide setting: the primary Region's pack only
    when: tuple[str, ...] = ()  # component kinds, one of which the Region must run
    params: dict[str, str] = Field(default_factory=dict)


class SecureDefault(_Frozen):
    """One secure default, as DESIGN.md lists it."""

    control: str
    how: str
    when: tuple[str, ...] = ()  # component kinds, one of which the design must have


class SecurityData(_Frozen):
    """The whole file."""

    as_of: str
    baseline: Baseline
    regimes: dict[str, RegimeSettings]
    config_rules: dict[str, ConfigRule]
    defaults: tuple[SecureDefault, ...]


@cache
def security_data() -> SecurityData:
    """The shipped baseline and regime settings, loaded once."""
    return load_data("security.yaml", SecurityData)
