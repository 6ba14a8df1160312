// Tests here seed torch's process-wide random generator (model initialisation, dropout, sampled batches) and some
// assert bit-exact reproducibility; test classes running in parallel would draw from the same generator.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
