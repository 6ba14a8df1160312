// Tests here seed torch's process-wide generator to build their tiny models; classes running in parallel would draw from it concurrently.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
