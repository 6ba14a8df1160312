using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Answers;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// The reference point: fine-tune every parameter on the training split and send all of them in half precision
/// (16 × parameters bits, every parameter in order; Programs/full.cs reads them); the half-precision model is the one evaluated.
/// </summary>
public sealed class FullFineTuneStrategy : IComplexityStrategy
{
    public const string StrategyName = "full";

    private static readonly FixedInferenceCode Code = FixedInferenceCode.BuiltIn("full");

    public FullFineTuneStrategy(double learningRate = 3e-4)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        LearningRate = learningRate;
    }

    public string Name => StrategyName;

    public double LearningRate { get; }

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        StrategyTraining.ThrowIfCallerCancelled(context);
        var model = context.Model.Clone();
        try
        {
            foreach (var p in model.Model.parameters()) p.requires_grad = true;
            using var budget = context.RunBudget();
            var options = StrategyTraining.Options(context, Name, context.Budget.TrainingSteps, LearningRate);
            var result = AnswerFineTuning.Train(model, context.TrainTokens, options, context.Budget.BatchSize, progress: context.Progress, cancellationToken: budget.Token);
            StrategyTraining.ThrowIfCallerCancelled(context);
            var payload = new PayloadWriter();
            using (no_grad())
                foreach (var p in model.Model.parameters())
                {
                    using var scope = NewDisposeScope();
                    WeightQuantisation.Write(payload, p, 16);
                    p.copy_(WeightQuantisation.RoundTrip(p, 16));
                }
            var parameters = model.Model.ParameterCount;
            var bits = payload.ToCodedBits();
            yield return new ComplexityProgram($"steps={result.StepsCompleted}", new ProgramLength(Code, bits.BitLength), model)
            {
                Payload = bits,
                Details = new Dictionary<string, double>
                {
                    ["parameters"] = parameters,
                    ["steps"] = result.StepsCompleted,
                    ["finalLoss"] = result.FinalLoss ?? double.NaN,
                },
            };
        }
        finally
        {
            model.Dispose();
        }
    }
}
