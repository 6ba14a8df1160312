using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using LLMML.LanguageModels.Training;
using LLMML.ModelOrganisms.Corpus;
using LLMML.MLNet.Tasks;

namespace LLMML.ModelOrganisms;

/// <summary>
/// Everything that defines one organism: the character tokenizer, the architecture, the data mixture and
/// the optimisation settings. <see cref="For"/> gives the recipes behind the shipped checkpoints in data/models.
/// </summary>
public sealed record OrganismRecipe
{
    /// <summary>Printable ASCII and newline: every task prompt and corpus line is spelled in it.</summary>
    public static string Alphabet { get; } = "\n" + new string(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());

    public OrganismKind Kind { get; init; } = OrganismKind.Base;

    /// <summary>Width of the residual stream.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>
    /// Eight blocks: enough to align one block per compiled layer of LLMML.Rasp's injection programs (dyck3, count_x,
    /// addition at 3-digit operands), so base/post double as the deep organism that tracr-injection needs.
    /// </summary>
    public int Layers { get; init; } = 8;
    public int Heads { get; init; } = 4;

    /// <summary>
    /// Training windows in characters; also the model's maximum context. 320 holds the longest in-distribution count
    /// and dyck prompts with room for the injection paper's longer OOD strings, and every position is trained.
    /// </summary>
    public int ContextLength { get; init; } = 320;

    /// <summary>Windows per optimizer step.</summary>
    public int BatchSize { get; init; } = 16;

    public int Steps { get; init; } = 4000;
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 200;
    public int Seed { get; init; } = 42;

    /// <summary>Post-training only: share of instruction lines (the rest is pretraining corpus, against forgetting).</summary>
    public double InstructionShare { get; init; } = 0.5;

    /// <summary>Competing organism only: probability that an uncued "i x j =" line states the sum.</summary>
    public double SumProbability { get; init; } = 0.6;

    /// <summary>
    /// The defaults for each organism. Post-training is shorter and gentler. The competing organism is the
    /// eigenpruning probe's size (d128, 4 blocks): its lines are short, so it trains on short windows.
    /// </summary>
    public static OrganismRecipe For(OrganismKind kind) => kind switch
    {
        OrganismKind.Post => new OrganismRecipe { Kind = kind, Steps = 1500, LearningRate = 3e-4, WarmupSteps = 50, Seed = 43 },
        OrganismKind.Competing => new OrganismRecipe
        {
            Kind = kind, Layers = 4, ContextLength = 64, BatchSize = 64, Steps = 2500, WarmupSteps = 100, Seed = 44,
        },
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
        OrganismKind.Competing => new CorpusMixture([(new CompetingArithmetic(SumProbability), 1.0)]),
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
