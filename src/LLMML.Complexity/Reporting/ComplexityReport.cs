using Microsoft.Data.Analysis;

namespace LLMML.Complexity.Reporting;

/// <summary>
/// Every run of a complexity evaluation, the Pareto frontier of each model, C(δ) for the requested targets and the
/// ratios between models; as a DataFrame (<see cref="ToDataFrame"/>), JSON (<see cref="ToJson"/>) and a PNG plot
/// (<see cref="SavePlot"/>).
/// </summary>
public sealed class ComplexityReport
{
    public ComplexityReport(string task, string metric, IReadOnlyList<string> models, IReadOnlyList<ComplexityRun> runs,
        IReadOnlyList<double> targets, IReadOnlyList<string>? notes = null)
    {
        Task = task ?? throw new ArgumentNullException(nameof(task));
        Metric = metric ?? throw new ArgumentNullException(nameof(metric));
        Models = models ?? throw new ArgumentNullException(nameof(models));
        Runs = runs ?? throw new ArgumentNullException(nameof(runs));
        Targets = targets ?? throw new ArgumentNullException(nameof(targets));
        Notes = notes ?? [];
        var unknown = runs.Select(r => r.Model).FirstOrDefault(m => !models.Contains(m));
        if (unknown is not null) throw new ArgumentException($"Run of model '{unknown}' which is not among the report's models.", nameof(runs));
    }

    /// <summary>Task name.</summary>
    public string Task { get; }

    /// <summary>Metric name.</summary>
    public string Metric { get; }

    /// <summary>Model names in evaluation order.</summary>
    public IReadOnlyList<string> Models { get; }

    public IReadOnlyList<ComplexityRun> Runs { get; }

    /// <summary>The δ that <see cref="Complexity"/> is reported for.</summary>
    public IReadOnlyList<double> Targets { get; }

    /// <summary>Configurations skipped and why.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// The model's Pareto frontier (see <see cref="ParetoFrontier"/>) under <paramref name="accounting"/>, over the runs
    /// the strategies selected on their validation split — or, with <paramref name="chosenOnTest"/>, over every
    /// alternative too, which is what choosing on the test split (as the paper's notebooks do) would give.
    /// </summary>
    public IReadOnlyList<ComplexityRun> Frontier(string model, Accounting accounting = Accounting.Ours, bool chosenOnTest = false) =>
        ParetoFrontier.Of(RunsOf(model).Where(r => chosenOnTest || r.Selected), accounting);

    /// <summary>C(δ) of the model in bits, or null when no run reached <paramref name="target"/>.</summary>
    public long? Complexity(string model, double target, Accounting accounting = Accounting.Ours, bool chosenOnTest = false) =>
        ParetoFrontier.Complexity(Frontier(model, accounting, chosenOnTest), target, accounting);

    /// <summary>C_a(δ) / C_b(δ), or null when either model did not reach δ.</summary>
    public double? Ratio(string modelA, string modelB, double target, Accounting accounting = Accounting.Ours, bool chosenOnTest = false) =>
        Complexity(modelA, target, accounting, chosenOnTest) is { } a && Complexity(modelB, target, accounting, chosenOnTest) is { } b ? (double)a / b : null;

    /// <summary>Seconds the runs of each strategy took (building + scoring), summed over models, in first-run order.</summary>
    public IReadOnlyList<(string Strategy, int Runs, double Seconds)> SecondsPerStrategy() =>
        Runs.GroupBy(r => r.Strategy).Select(g => (g.Key, g.Count(), g.Sum(r => r.Seconds))).ToArray();

    /// <summary>The best score the model reached with any run.</summary>
    public double BestScore(string model) => RunsOf(model).Select(r => r.Score).DefaultIfEmpty(double.NaN).Max();

    /// <summary>
    /// One row per run: model, strategy, configuration, fixed_code_bits, payload_bits, bits, paper_bits, log2_bits, score,
    /// seconds, ideal_payload_bits (NaN when not coded), selected, on_frontier.
    /// </summary>
    public DataFrame ToDataFrame()
    {
        var frontier = Models.SelectMany(m => Frontier(m)).ToHashSet();
        return new DataFrame(
            new StringDataFrameColumn("model", Runs.Select(r => r.Model)),
            new StringDataFrameColumn("strategy", Runs.Select(r => r.Strategy)),
            new StringDataFrameColumn("configuration", Runs.Select(r => r.Configuration)),
            new Int64DataFrameColumn("fixed_code_bits", Runs.Select(r => r.FixedCodeBits)),
            new Int64DataFrameColumn("payload_bits", Runs.Select(r => r.PayloadBits)),
            new Int64DataFrameColumn("bits", Runs.Select(r => r.Bits)),
            new Int64DataFrameColumn("paper_bits", Runs.Select(r => r.PaperBits)),
            new DoubleDataFrameColumn("log2_bits", Runs.Select(r => r.Log2Bits)),
            new DoubleDataFrameColumn("score", Runs.Select(r => r.Score)),
            new DoubleDataFrameColumn("seconds", Runs.Select(r => r.Seconds)),
            new DoubleDataFrameColumn("ideal_payload_bits", Runs.Select(r => r.IdealPayloadBits ?? double.NaN)),
            new BooleanDataFrameColumn("selected", Runs.Select(r => r.Selected)),
            new BooleanDataFrameColumn("on_frontier", Runs.Select(frontier.Contains)));
    }

    /// <summary>Runs, frontiers, C(δ) per model, pairwise ratios and notes, indented JSON.</summary>
    public string ToJson() => ComplexityReportJson.Write(this);

    /// <summary>Score against log₂ bits: every run as a point, each model's frontier as a step line, targets dashed.</summary>
    public void SavePlot(string path, int width = 900, int height = 560) => ComplexityPlot.Save(this, path, width, height);

    private IEnumerable<ComplexityRun> RunsOf(string model)
    {
        if (!Models.Contains(model)) throw new ArgumentException($"The report has no model '{model}'; it has: {string.Join(", ", Models)}.", nameof(model));
        return Runs.Where(r => r.Model == model);
    }
}
