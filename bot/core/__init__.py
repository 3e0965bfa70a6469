"""What every command shares, lookup or curation: the `Answer` value, the argument parser,
and the control characters typed text may not carry."""
