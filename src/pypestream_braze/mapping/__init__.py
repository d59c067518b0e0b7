"""Reading a mapping spec: YAML with locations, checked against the Braze catalogue, to a model."""
