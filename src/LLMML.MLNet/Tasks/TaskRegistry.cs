namespace LLMML.MLNet.Tasks;

/// <summary>Tasks by name, so the CLI and sweeps can refer to them ("int-sum", "dyck", …).</summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, LlmTask> _tasks;

    /// <summary>A registry of the given tasks; names must be unique.</summary>
    public TaskRegistry(IEnumerable<LlmTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        _tasks = new Dictionary<string, LlmTask>(StringComparer.OrdinalIgnoreCase);
        var order = new List<LlmTask>();
        foreach (var t in tasks)
        {
            if (!_tasks.TryAdd(t.Name, t)) throw new ArgumentException($"Task '{t.Name}' is registered twice.", nameof(tasks));
            order.Add(t);
        }
        Tasks = order;
    }

    /// <summary>The built-in tasks (gsm8k found under data/ on first use).</summary>
    public static TaskRegistry Default { get; } = CreateDefault();

    /// <summary>The built-in tasks, reading gsm8k from <paramref name="gsm8kDirectory"/> when given.</summary>
    public static TaskRegistry CreateDefault(string? gsm8kDirectory = null) => new(
    [
        ArithmeticTask.IntSum(),
        ArithmeticTask.IntMult(),
        new CountTask(),
        new DyckTask(),
        new LongAdditionTask(),
        new Gsm8kTask(gsm8kDirectory),
        ArithmeticTask.IntMultCued(),
        ArithmeticTask.IntAddCued(),
    ]);

    /// <summary>All tasks in registration order.</summary>
    public IReadOnlyList<LlmTask> Tasks { get; }

    /// <summary>All names.</summary>
    public IReadOnlyList<string> Names => Tasks.Select(t => t.Name).ToArray();

    /// <summary>The task named <paramref name="name"/> (case-insensitive); unknown names throw, listing the known ones.</summary>
    public LlmTask Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tasks.TryGetValue(name, out var t)
            ? t
            : throw new ArgumentOutOfRangeException(nameof(name), $"Unknown task '{name}'; known tasks: {string.Join(", ", Names)}.");
    }

    /// <summary>Looks a task up without throwing.</summary>
    public bool TryGet(string name, out LlmTask task)
    {
        var found = _tasks.TryGetValue(name, out var t);
        task = t!;
        return found;
    }
}
