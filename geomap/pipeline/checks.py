"""Check a distance claim against measured incidents: the library behind ``geomap check``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from geomap._version import __version__


@dataclass
class CheckResult:
    """Measurements of each incident, the claim, and a verdict per incident."""

    claim: Any
    lines: Any
    measurements: list
    verdicts: list
    notes: list[str] = field(default_factory=list)
    #: for point incidents, the verdict at the measured distance alone (no uncertainty): context, not the verdict
    point_verdicts: list = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 if every verdict is supported, 10 if every one is contradicted, else 11."""
        codes = {v.exit_code for v in self.verdicts}
        return codes.pop() if len(codes) == 1 else 11

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per incident: measurement, verdict and evidence."""
        out = []
        for m, v in zip(self.measurements, self.verdicts):
            rec = m.to_dict()
            rec["claim"] = self.claim.to_dict()
            verdict = v.to_dict()
            verdict.pop("claim", None)
            rec.update(
                verdict_without_uncertainty=self.point_verdicts[len(out)] if self.point_verdicts else None,
                verdict=v.verdict,
                sentence=v.sentence,
                exit_code=v.exit_code,
                judgement=verdict,
            )
            out.append(rec)
        return out


def check_claim(claim, incidents, lines, *, tolerance_m: float = 50.0) -> CheckResult:
    """Measure ``incidents`` against ``lines`` and judge ``claim`` for each.

    Parameters
    ----------
    claim : geomap.claims.Claim
        From :func:`geomap.claims.parse_claim` or :func:`~geomap.claims.claim_from_bounds`.
    incidents : iterable of geomap.pipeline.incidents.Incident
    lines : geomap.layers.lineset.LineSet

    Returns
    -------
    CheckResult
    """
    from geomap.pipeline.incidents import measure
    from geomap.verdict import judge

    measurements = measure(incidents, lines, tolerance_m=tolerance_m)
    verdicts, point_verdicts = [], []
    for m in measurements:
        d = m.distance.get("distance_m")
        point_verdicts.append(
            judge(claim, (d, d)).verdict if m.area is None and d is not None else None
        )
        evidence = dict(m.evidence, incident=m.incident.location_evidence(), uncertainty=m.uncertainty,
                        geomap_version=__version__)
        verdicts.append(judge(claim, m.interval_m, evidence=evidence))
    return CheckResult(claim=claim, lines=lines, measurements=measurements, verdicts=verdicts,
                       point_verdicts=point_verdicts)
