"""Sensitivity analysis: sweeps, exact thresholds, regimes, and game types."""
