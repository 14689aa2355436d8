"""Dated lines of contact and held areas: the shipped registry, user files, sides, derived lines."""
