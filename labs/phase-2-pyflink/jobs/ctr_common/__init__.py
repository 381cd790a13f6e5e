"""What every version of the PyFlink job shares: its flags, its Flink configuration, its tables."""
