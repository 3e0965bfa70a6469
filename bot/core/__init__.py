"""What every command shares, lookup or curation: the `Answer` value and the argument parser."""
