"""Planners: a validated outline and theme in, a format-free plan out (pure: no files written)."""
