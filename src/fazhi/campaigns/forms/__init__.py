"""The campaigns forms, one module per area. Forms check the shape of input; services enforce the rules."""
