"""Demo data: the neighbourhoods of the municipal reports and real Amsterdam neighbourhood-budget projects."""
