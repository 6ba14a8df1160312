using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using LLMML.LanguageModels.Training;
using LLMML.ModelOrganisms.Corpus;
using LLMML.MLNet.Tasks;

namespace LLMML.ModelOrganisms;

/// <summary>
/// Everything that defines one organism: the character tokenizer, the architecture, the data mixture and
/// the optimisation settings. The defaults are the recipe behind the shipped checkpoints in data/models.
/// </summary>
public sealed record OrganismRecipe
{
    /// <summary>Printable ASCII and newline: every task prompt and corpus line is spelled in it.</summary>
    public static string Alphabet { get; } = "\n" + new string(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());

    public OrganismKind Kind { get; init; } = OrganismKind.Base;

    /// <summary>Width of the residual stream.</summary>
    public int HiddenSize { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;

    /// <summary>Training windows in characters; also the model's maximum context.</summary>
    public int ContextLength { get; init; } = 160;

    /// <summary>Windows per optimizer step.</summary>
    public int BatchSize { get; init; } = 32;

    public int Steps { get; init; } = 3200;
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 200;
    public int Seed { get; init; } = 42;

    /// <summary>Post-training only: share of instruction lines (the rest is pretraining corpus, against forgetting).</summary>
    public double InstructionShare { get; init; } = 0.5;

    /// <summary>The defaults for each organism (post-training is short and gentler).</summary>
    public static OrganismRecipe For(OrganismKind kind) => kind switch
    {
        OrganismKind.Post => new OrganismRecipe { Kind = kind, Steps = 600, LearningRate = 3e-4, WarmupSteps = 30, Seed = 43 },
        _ => new OrganismRecipe { Kind = kind },
    };

    public CharacterTokenizer CreateTokenizer() => new(Alphabet);

    public TransformerConfig CreateConfig(CharacterTokenizer tokenizer) =>
        TransformerConfig.Gpt2(HiddenSize, Layers, Heads, tokenizer.VocabularySize, ContextLength) with
        {
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
        };

    /// <summary>The pretraining corpus: facts, counting and brackets in prose, plus filler (METHODS.md recipe).</summary>
    public static CorpusMixture PretrainingCorpus() => new(
    [
        (new MultiplicationFacts(), 0.40),
        (new AdditionFacts(), 0.35),
        (new CountingStatements(), 0.10),
        (new BracketStatements(), 0.10),
        (new FillerSentences(), 0.05),
    ]);

    /// <summary>The data for this organism's training run; null for <see cref="OrganismKind.Random"/>.</summary>
    public CorpusMixture? TrainingData(TaskRegistry tasks) => Kind switch
    {
        OrganismKind.Base => PretrainingCorpus(),
        OrganismKind.Post => new CorpusMixture(
        [
            (new InstructionData(tasks), InstructionShare),
            (new PretrainingSource(PretrainingCorpus()), 1 - InstructionShare),
        ]),
        _ => null,
    };

    public TrainingOptions TrainingOptions(string? checkpointDirectory) => new()
    {
        LearningRate = LearningRate,
        MinLearningRate = LearningRate / 10,
        WarmupSteps = Math.Min(WarmupSteps, Steps),
        MaxSteps = Steps,
        MaxGradientNorm = 1.0,
        WeightDecay = 0.01,
        Seed = Seed,
        CheckpointDirectory = checkpointDirectory,
        CheckpointEvery = 250,
        ProgressEvery = 10,
        Stage = $"train {Kind.ToString().ToLowerInvariant()}",
    };

    /// <summary>A whole mixture used as one source inside another.</summary>
    private sealed class PretrainingSource(CorpusMixture corpus) : ISentenceSource
    {
        public string Name => "pretraining";
        public string Next(Random random) => corpus.NextLine(random);
    }
}
