"""Turns partnerships' escalation protocols (YAML) into guidance pages, flowcharts and a decision aid."""
