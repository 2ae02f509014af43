"""Cheaper variants of a design that the budget search may apply (``data/budget.yaml`` describes each)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tweaks:
    """Which variants are on. The default design applies none: each one trades something away."""

    arm_containers: bool = False  # Fargate tasks on Graviton (linux/arm64 images)
    lean_headroom: bool = False  # size for less spare capacity at peak
    spot_workers: bool = False  # private Fargate services on Fargate Spot
    single_nat: bool = False  # one NAT gateway for the Region instead of one per AZ

    @classmethod
    def of(cls, ids: tuple[str, ...]) -> Tweaks:
        """The tweaks named by variant ids of ``data/budget.yaml``; ids without a tweak change nothing here."""
        return cls(
            arm_containers="arm-containers" in ids,
            lean_headroom="lean-headroom" in ids,
            spot_workers="spot-workers" in ids,
            single_nat="single-nat" in ids,
        )
