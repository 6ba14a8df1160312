// Tests here seed torch's process-wide random generator (model initialisation, LoRA initialisation, training runs) and
// the round-trip tests need two training runs to draw the same numbers; test classes running in parallel would interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
