// Tests here set process-wide limits (ModelCheckpoint.MaxLoadBytes, ModelArchive.MaxTotalBytes) and redirect Console.Out.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
