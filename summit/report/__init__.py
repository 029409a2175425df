"""Reports: plots (matplotlib, Agg backend) and the self-contained HTML report of a batch."""
