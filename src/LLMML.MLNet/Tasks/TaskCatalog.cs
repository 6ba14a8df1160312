using Microsoft.ML;

namespace LLMML.MLNet.Tasks;

/// <summary>The tasks on <c>mlContext.Llm().Tasks</c>.</summary>
public sealed class TaskCatalog
{
    private readonly MLContext _mlContext;

    internal TaskCatalog(MLContext mlContext) => _mlContext = mlContext;

    /// <summary>The registry used (the built-in tasks).</summary>
    public TaskRegistry Registry { get; set; } = TaskRegistry.Default;

    /// <summary>Task names.</summary>
    public IReadOnlyList<string> Names => Registry.Names;

    /// <summary>A task by name.</summary>
    public LlmTask Get(string name) => Registry.Get(name);

    /// <summary>A split of a task as an IDataView (Prompt, Answer and, for closed answer sets, a key-typed Label).</summary>
    public IDataView Load(string task, string split = TaskSplits.Test, int? limit = null) =>
        TaskDataViews.Create(_mlContext, Registry.Get(task), split, limit);
}
