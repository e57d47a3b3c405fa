"""The app's routes, one module per part, so that each part adds its URLs alone."""
