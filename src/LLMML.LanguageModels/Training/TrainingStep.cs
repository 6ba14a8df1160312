namespace LLMML.LanguageModels.Training;

/// <summary>Where the loop is when it asks for one micro-batch's loss.</summary>
/// <param name="Step">The optimizer step (0-based) this micro-batch contributes to.</param>
/// <param name="MicroBatch">Index of the micro-batch within the step, 0 … <paramref name="MicroBatchesPerStep"/> − 1.</param>
/// <param name="MicroBatchesPerStep">Gradient accumulation steps.</param>
/// <param name="Seed">
/// A seed derived from the run's seed and <see cref="GlobalMicroBatch"/>: sample the batch from it (e.g.
/// <c>new Random(step.Seed)</c>) so a resumed run sees the same data as an uninterrupted one.
/// </param>
public sealed record TrainingStep(long Step, int MicroBatch, int MicroBatchesPerStep, int Seed)
{
    /// <summary>Micro-batches before this one in the whole run: Step × MicroBatchesPerStep + MicroBatch.</summary>
    public long GlobalMicroBatch => Step * MicroBatchesPerStep + MicroBatch;
}
