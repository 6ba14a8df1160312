using LLMML.Foundation.Progress;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Torch.Verification;

/// <summary>One input of a teacher's training distribution and, where known, the task's answer at some positions.</summary>
/// <param name="Input">The compiled-vocabulary input (no BOS).</param>
/// <param name="Answers">Position → the task's correct output there (e.g. the answer at the trigger); null: none given.</param>
public sealed record TeacherExample(IReadOnlyList<RaspValue> Input, IReadOnlyDictionary<int, RaspValue>? Answers = null)
{
    public override string ToString() => string.Join(" ", Input);
}

/// <summary>A teacher that was verified: how many inputs and positions.</summary>
public sealed record TeacherReport(string Program, int Examples, long Positions);

/// <summary>A compiled teacher is wrong on an input of its training distribution.</summary>
public sealed class TeacherNotExactException(string message, TeacherExample example, int position) : Exception(message)
{
    /// <summary>The first failing input.</summary>
    public TeacherExample Example { get; } = example;

    /// <summary>Its first failing position (0 = the first input token).</summary>
    public int Position { get; } = position;
}

/// <summary>
/// Injection distils a compiled program into an LM, so the program must be exactly right on every
/// input the LM trains on (the released tracr-injection code trained on a Dyck teacher wrong on 41 of
/// 400 strings). Checks, before training, that on every example the float32 model equals the
/// evaluator at every position (the compilation is exact) and equals the task's answers where the
/// example gives them (the program computes the task); refuses otherwise, naming the first failing input.
/// </summary>
public static class TeacherVerification
{
    /// <exception cref="TeacherNotExactException">On the first input where the teacher is wrong.</exception>
    public static TeacherReport RequireExact(CompiledModel model, SOp program, IReadOnlyList<TeacherExample> examples, int batchSize = 256,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var name = model.Config.Name;
        long positions = 0;
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = examples.Skip(start).Take(batchSize).ToList();
            var outputs = model.Run(batch.Select(e => e.Input).ToList());
            for (var b = 0; b < batch.Count; b++)
            {
                var example = batch[b];
                foreach (var p in example.Answers?.Keys ?? [])
                    if (p < 0 || p >= example.Input.Count)
                        throw Fail(name, example, p, $"an answer is given at position {p}, outside the input of length {example.Input.Count}");
                var expected = RaspEvaluator.Evaluate(program, example.Input, model.Config.Causal);
                for (var i = 0; i < expected.Length; i++)
                {
                    if (!AgreementCheck.Same(expected[i], outputs[b][i]))
                        throw Fail(name, example, i, $"the compiled model gives {outputs[b][i]} where the program evaluates to {expected[i]}");
                    if (example.Answers is not null && example.Answers.TryGetValue(i, out var answer) && !AgreementCheck.Same(answer, outputs[b][i]))
                        throw Fail(name, example, i, $"the task's answer is {answer}, the teacher gives {outputs[b][i]}");
                }
                positions += expected.Length;
            }
            progress?.Report(new ProgressUpdate($"verify teacher {name}", Math.Min(start + batchSize, examples.Count), examples.Count));
        }
        return new TeacherReport(name, examples.Count, positions);
    }

    private static TeacherNotExactException Fail(string name, TeacherExample example, int position, string what) =>
        new($"Teacher '{name}' is not exact on its training distribution: input [{example}] position {position}: {what}.", example, position);
}
