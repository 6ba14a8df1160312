namespace LLMML.MLNet.Tasks;

/// <summary>
/// A task generated from a seed with train, test and out-of-distribution splits of configurable sizes
/// (count, dyck, int-add-long): the sizes and the seed live here once.
/// </summary>
public abstract class SyntheticTask : LlmTask
{
    /// <summary>Defines the split sizes and the seed.</summary>
    protected SyntheticTask(int trainCount, int testCount, int oodCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(testCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(oodCount);
        TrainCount = trainCount;
        TestCount = testCount;
        OodCount = oodCount;
        Seed = seed;
    }

    /// <summary>Train size.</summary>
    public int TrainCount { get; }

    /// <summary>Test size.</summary>
    public int TestCount { get; }

    /// <summary>Size of the OOD splits (a task documents any exception).</summary>
    public int OodCount { get; }

    /// <summary>Seed; each split derives its own stream from it.</summary>
    public int Seed { get; }
}
