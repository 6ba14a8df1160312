using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;
using Microsoft.ML;

namespace LLMML.Sweeps.Experiments;

/// <summary>
/// The fluent front door, named as AutoML's AutoMLExperiment: a search space, a pipeline built from each proposed
/// <see cref="Parameter"/>, train and validation data, a metric, a tuner and budgets; <see cref="Run"/> sweeps and
/// <see cref="RefitBest"/> fits the winner.
/// </summary>
public sealed class SweepExperiment(SearchSpace searchSpace)
{
    private Func<Parameter, IEstimator<ITransformer>>? _pipeline;
    private IDataView? _train, _validation;
    private Func<IDataView, TrialMetrics>? _evaluate;
    private Func<SearchSpace, ITuner> _tuner = s => new CostFrugalTuner(s);
    private PipelineTrialRunner? _runner;

    /// <summary>Budgets, parallelism, direction, journal and progress.</summary>
    public SweepOptions Options { get; } = new();

    /// <summary>The pipeline for a proposed parameter.</summary>
    public SweepExperiment SetPipeline(Func<Parameter, IEstimator<ITransformer>> pipeline)
    {
        _pipeline = pipeline;
        return this;
    }

    /// <summary>Trials fit on <paramref name="train"/> and are scored on <paramref name="validation"/>.</summary>
    public SweepExperiment SetDataset(IDataView train, IDataView validation)
    {
        (_train, _validation) = (train, validation);
        return this;
    }

    /// <summary>The metric of a scored validation view, e.g. <c>v =&gt; ml.MulticlassClassification.Evaluate(v).MicroAccuracy</c>.</summary>
    public SweepExperiment SetEvaluateMetric(Func<IDataView, double> metric, string name = "metric", bool isMaximizing = true) =>
        SetEvaluateMetrics(v => new TrialMetrics(metric(v)), name, isMaximizing);

    /// <summary>The metric and any other metrics of a scored validation view.</summary>
    public SweepExperiment SetEvaluateMetrics(Func<IDataView, TrialMetrics> evaluate, string name = "metric", bool isMaximizing = true)
    {
        _evaluate = evaluate;
        Options.MetricName = name;
        Options.IsMaximizing = isMaximizing;
        return this;
    }

    /// <summary>The tuner (default: CFO seeded with 0).</summary>
    public SweepExperiment SetTuner(TunerKind kind, int seed = 0)
    {
        _tuner = s => Tuner.Create(kind, s, seed);
        return this;
    }

    /// <summary>A tuner built over the experiment's search space.</summary>
    public SweepExperiment SetTuner(Func<SearchSpace, ITuner> create)
    {
        _tuner = create;
        return this;
    }

    /// <summary>Trial budget.</summary>
    public SweepExperiment SetMaxTrials(int trials)
    {
        Options.MaxTrials = trials;
        return this;
    }

    /// <summary>Wall-time budget.</summary>
    public SweepExperiment SetTrainingTimeInSeconds(double seconds)
    {
        Options.MaxWallTime = TimeSpan.FromSeconds(seconds);
        return this;
    }

    /// <summary>Runs the sweep.</summary>
    public SweepResult Run(CancellationToken cancellationToken = default)
    {
        if (_pipeline is null) throw new InvalidOperationException("Call SetPipeline before Run.");
        if (_train is null || _validation is null) throw new InvalidOperationException("Call SetDataset before Run.");
        if (_evaluate is null) throw new InvalidOperationException("Call SetEvaluateMetric before Run.");
        _runner = new PipelineTrialRunner(_pipeline, _train, _validation, _evaluate);
        return Sweep.Run(_tuner(searchSpace), _runner, Options, cancellationToken);
    }

    /// <summary>Fits the best trial's pipeline on <paramref name="data"/> (default: the training data).</summary>
    public ITransformer RefitBest(SweepResult result, IDataView? data = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_runner is null) throw new InvalidOperationException("Run the experiment before refitting its best trial.");
        return _runner.Refit(result.BestOrThrow.TrialSettings.Parameter, data);
    }
}
