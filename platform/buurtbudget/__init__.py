"""Buurtbudget core: the domain, its rules and services, independent of the web layer."""
