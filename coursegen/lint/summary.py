"""The one-screen summary that ends `coursegen lint`'s report: counts per code, figures."""

from __future__ import annotations

from ..errors import plural
from .review import Review


def format_summary(course_dir: str, review: Review) -> str:
    """Counts of findings per code, then the figures the review measures."""
    lines = [f"{course_dir}: {plural(len(review.findings), 'finding')}"]
    width = max(map(len, review.counts), default=0)
    lines += [f"  {code:<{width}}  {n:>4}" for code, n in review.counts.items()]
    f = review.figures
    tf = f["true_false"]
    lines += [
        "figures:",
        "  single-choice keys that are the longest option: "
        + _share(
            f["longest_keys"],
            f["single_choice"],
            "; by chance about " + _percent(f["longest_keys_by_chance"], f["single_choice"]),
        ),
        f"  true/false answers that are true: {_share(tf['true'], tf['true'] + tf['false'])}",
        f"  questions above 'remember': {_share(f['above_remember'], f['questions'])}; "
        f"at 'apply' or above: {_share(f['apply_or_above'], f['questions'])}",
        f"  near-duplicate pairs: {f['near_duplicate_pairs']}",
    ]
    return "\n".join(lines)


def _share(part: int, whole: int, note: str = "") -> str:
    return f"{part} of {whole} ({_percent(part, whole)}{note})"


def _percent(part: float, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "none"
