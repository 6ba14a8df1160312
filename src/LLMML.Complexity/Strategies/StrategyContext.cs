using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;

namespace LLMML.Complexity.Strategies;

/// <summary>What a strategy works with: one model (read-only), the task's training split, the budget, progress and cancellation.</summary>
public sealed class StrategyContext
{
    private readonly IReadOnlyList<TaskExample> _test;
    private readonly List<string> _notes = [];
    private readonly Func<LanguageModel, double>? _validationScore;
    private PromptAnswerTokens[]? _trainTokens;

    /// <param name="validationScore">
    /// The metric on a validation split carved from the training data (never the test split), for strategies that choose
    /// among their own candidates (e.g. the prequential epoch); null when there is none.
    /// </param>
    public StrategyContext(string modelName, LanguageModel model, IReadOnlyList<TaskExample> train, IReadOnlyList<TaskExample> test,
        ComplexityBudget budget, long seed = 42, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default,
        Func<LanguageModel, double>? validationScore = null)
    {
        _validationScore = validationScore;
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ModelName = modelName;
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Train = train ?? throw new ArgumentNullException(nameof(train));
        _test = test ?? throw new ArgumentNullException(nameof(test));
        Budget = budget ?? throw new ArgumentNullException(nameof(budget));
        Seed = seed;
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>Whether <see cref="ScoreValidation"/> has a validation split to score.</summary>
    public bool HasValidation => _validationScore is not null;

    /// <summary>The metric of <paramref name="model"/> on the validation split, or null when there is none.</summary>
    public double? ScoreValidation(LanguageModel model) => _validationScore?.Invoke(model);

    /// <summary>Name of the model in reports.</summary>
    public string ModelName { get; }

    /// <summary>The model given for free. Do not modify it; train a <c>Clone()</c>.</summary>
    public LanguageModel Model { get; }

    /// <summary>The training split, in order ("the first N examples" are its first N).</summary>
    public IReadOnlyList<TaskExample> Train { get; }

    public ComplexityBudget Budget { get; }

    /// <summary>Seed of training runs and adapter initialisation.</summary>
    public long Seed { get; }

    public IProgress<ProgressUpdate>? Progress { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Configurations skipped and why (e.g. "k=8 does not fit the context").</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The training split as <see cref="TrainingTargets"/> (prompt → " " + answer + EOS), what answer-only training reads.</summary>
    public IReadOnlyList<PromptAnswerTokens> TrainTokens =>
        _trainTokens ??= Train.Select(e => TrainingTargets.For(Model, e)).ToArray();

    /// <summary>Progress stage name of a strategy on this model.</summary>
    public string Stage(string strategy) => $"{ModelName} · {strategy}";

    /// <summary>Records why a configuration was skipped.</summary>
    public void Note(string message) => _notes.Add($"{ModelName}: {message}");

    /// <summary>
    /// Whether <paramref name="prefix"/> + every test prompt + its answer (+ the token after it, which the first-word
    /// check reads) fits the model's context. Only lengths are looked at.
    /// </summary>
    public bool FitsContext(string prefix)
    {
        // prompt + answer + 1 targets need prompt + answer inputs (the last target is never an input).
        var room = Model.Config.MaxPositionEmbeddings;
        return _test.All(e => Model.EncodeContinuation(prefix + e.Prompt, TaskFormat.Continuation(e.Answer)).Length <= room);
    }

    /// <summary>A token that cancels when the run's time budget is spent or the caller cancels.</summary>
    public CancellationTokenSource RunBudget()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        source.CancelAfter(Budget.TimeLimitPerRun);
        return source;
    }
}
