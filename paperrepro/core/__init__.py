"""Infrastructure shared by every paper: configuration, fetching, labelled activity, figures, checks, execution."""
