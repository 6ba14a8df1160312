using System.Text.Json.Serialization;
using LLMML.Scoring.Transforms;
using LLMML.TracrInjection.Teachers;
using LLMML.TracrInjection.Training;

namespace LLMML.TracrInjection.Transforms;

/// <summary>
/// Settings of <c>mlContext.Llm().TracrInject(options)</c>: the model and columns (as for answer scoring), the program
/// to inject and the training run. The fitted transformer generates answers (<c>Generated</c>) by default.
/// </summary>
public sealed class TracrInjectOptions : ScoreAnswersOptions
{
    public TracrInjectOptions()
    {
        Generate = true;
    }

    /// <summary>Injection program of the library: dyck3, count_x or addition (see <see cref="InjectionProgramCatalog"/>). Default count_x.</summary>
    public string Program { get; set; } = InjectionProgramCatalog.Count.Name;

    /// <summary>The training run (learning rates, steps, λ, detach-and-roll, baseline, checkpoints).</summary>
    public InjectionSettings Injection { get; set; } = new();

    /// <summary>At most this many training rows are read (null: all); the teacher is verified on every one of them.</summary>
    public int? MaxExamples { get; set; }

    /// <summary>Held-out natural text for the KL term (e.g. lines of the organism's corpus the LM was not trained on); not saved.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> NaturalTexts { get; set; } = [];

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        InjectionProgramCatalog.Get(Program);
        ArgumentNullException.ThrowIfNull(Injection, nameof(Injection));
        Injection.Validate();
        if (MaxExamples is < 1) throw new ArgumentOutOfRangeException(nameof(MaxExamples), MaxExamples, "MaxExamples must be at least 1 or null.");
    }

    /// <inheritdoc />
    public override ScoreAnswersOptions Clone()
    {
        var copy = (TracrInjectOptions)base.Clone();
        copy.Injection = Injection.Clone();
        copy.NaturalTexts = NaturalTexts.ToArray();
        return copy;
    }
}
