using LLMML.Foundation.Progress;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using LLMML.LanguageModels.Training;
using LLMML.MLNet.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.ModelOrganisms.Training;

/// <summary>
/// Makes a model organism: builds (random), pretrains (base) or post-trains a base checkpoint (post) and saves
/// the result as a Hugging Face checkpoint with its tokenizer. Training checkpoints go to a work folder so an
/// interrupted run resumes where it stopped.
/// </summary>
public static class OrganismTrainer
{
    /// <summary>Creates the organism described by <paramref name="recipe"/> and saves it to <paramref name="outputDirectory"/>.</summary>
    /// <param name="baseDirectory">For <see cref="OrganismKind.Post"/>: the base checkpoint to start from.</param>
    /// <param name="workDirectory">Where resumable training checkpoints live (default: outputDirectory + ".work").</param>
    public static TrainingResult? Create(
        OrganismRecipe recipe,
        string outputDirectory,
        string? baseDirectory = null,
        string? workDirectory = null,
        TaskRegistry? tasks = null,
        Device? device = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        device ??= CPU;
        tasks ??= TaskRegistry.Default;
        torch.manual_seed(recipe.Seed);
        using var lm = recipe.Kind == OrganismKind.Post
            ? LoadBase(baseDirectory, device)
            : Build(recipe, device);
        var tokenizer = (CharacterTokenizer)lm.Tokenizer;

        TrainingResult? result = null;
        var data = recipe.TrainingData(tasks);
        if (data is not null)
        {
            var batches = new NextTokenBatches(data, tokenizer, recipe.ContextLength, recipe.BatchSize);
            var options = recipe.TrainingOptions(workDirectory ?? outputDirectory.TrimEnd('/', '\\') + ".work");
            var model = lm.Model;
            result = new TrainingLoop().Run(model, step =>
            {
                var (inputs, targets) = batches.Sample(step.Seed, device);
                var logits = model.forward(inputs);
                return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1));
            }, options, progress, cancellationToken);
            if (result.Cancelled) return result;
        }
        lm.Model.eval();
        lm.Save(outputDirectory);
        return result;
    }

    private static LanguageModel Build(OrganismRecipe recipe, Device device)
    {
        var tokenizer = recipe.CreateTokenizer();
        var model = new CausalLanguageModel(recipe.CreateConfig(tokenizer));
        model.to(device);
        return new LanguageModel(model, tokenizer, device);
    }

    private static LanguageModel LoadBase(string? baseDirectory, Device device)
    {
        if (baseDirectory is null)
            throw new ArgumentException("Post-training needs the base organism's checkpoint directory.", nameof(baseDirectory));
        var lm = LanguageModel.Load(baseDirectory, device);
        if (lm.Tokenizer is not CharacterTokenizer)
        {
            lm.Dispose();
            throw new InvalidDataException($"'{baseDirectory}' is not a character-level organism (its tokenizer is {lm.Tokenizer.GetType().Name}).");
        }
        return lm;
    }
}
