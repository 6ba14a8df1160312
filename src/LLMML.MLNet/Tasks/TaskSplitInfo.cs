namespace LLMML.MLNet.Tasks;

/// <summary>Describes one split of a task.</summary>
/// <param name="Name">Split name, e.g. "train", "test", "ood-length".</param>
/// <param name="Count">Number of examples.</param>
/// <param name="Description">What distinguishes the split.</param>
/// <param name="IsClosed">Whether every answer is in the task's answer set, so the split has a key-typed Label column.</param>
public sealed record TaskSplitInfo(string Name, int Count, string Description, bool IsClosed);

/// <summary>Split names every task has.</summary>
public static class TaskSplits
{
    /// <summary>Training split.</summary>
    public const string Train = "train";

    /// <summary>Held-out split from the same distribution.</summary>
    public const string Test = "test";
}
