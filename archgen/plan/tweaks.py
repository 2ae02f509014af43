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

    @property
    def applied(self) -> tuple[str, ...]:
        """The ids of the variants that are on, in the order ``data/budget.yaml`` lists them."""
        names = {
            "arm-containers": self.arm_containers,
            "lean-headroom": self.lean_headroom,
            "spot-workers": self.spot_workers,
            "single-nat": self.single_nat,
        }
        return tuple(name for name, on in names.items() if on)
