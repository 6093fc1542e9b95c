// The Experiments target: base training, hardening, seeds, transfer.
