"""Colour contrast as WCAG measures it."""

from __future__ import annotations


def contrast(
    foreground: tuple[float, ...], background: tuple[float, ...] = (255, 255, 255)
) -> float:
    """WCAG's contrast ratio of two sRGB colours (0-255 each)."""

    def luminance(rgb: tuple[float, ...]) -> float:
        parts = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
