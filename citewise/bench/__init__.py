"""`citewise bench`: speed, memory and scale measured on this machine, against the targets."""
