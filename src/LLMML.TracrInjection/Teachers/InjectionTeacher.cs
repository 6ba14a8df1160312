using LLMML.Foundation.Progress;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;
using LLMML.Rasp.Torch;
using LLMML.Rasp.Torch.Verification;
using LLMML.TracrInjection.Alignment;

namespace LLMML.TracrInjection.Teachers;

/// <summary>
/// A compiled injection program (causal, float32) with the program it came from: produces the residual streams the LM is
/// aligned to, and is verified exact on the whole training distribution before any training step.
/// </summary>
public sealed class InjectionTeacher : IDisposable
{
    private InjectionTeacher(InjectionProgram program, SOp sop, CompiledModel model)
    {
        Program = program;
        Sop = sop;
        Model = model;
    }

    public InjectionProgram Program { get; }
    public SOp Sop { get; }
    public CompiledModel Model { get; }

    /// <summary>Number of compiled layers L: the LM must have at least L blocks.</summary>
    public int Layers => Model.Config.Layers;

    /// <summary>Width of the compiled residual stream (the adapter's output size).</summary>
    public int Width => Model.Config.DModel;

    /// <summary>Compiles <paramref name="program"/> for inputs of up to <paramref name="maxLength"/> tokens.</summary>
    public static InjectionTeacher Compile(InjectionProgram program, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(program);
        program.Alignment.Validate(program.Vocabulary);
        var sop = program.Build();
        if (sop.Label != InjectionProgram.OutputName)
            throw new ArgumentException($"Injection program '{program.Name}': the output variable is '{sop.Label}'; it must be named '{InjectionProgram.OutputName}'.");
        var ir = RaspCompiler.Compile(sop, new RaspCompilerOptions { Vocabulary = program.Vocabulary, MaxLength = maxLength, Causal = true }, program.Name);
        return new InjectionTeacher(program, sop, CompiledModel.Assemble(ir));
    }

    /// <summary>
    /// The task's answer as teacher outputs from the trigger on: the answer itself when it is one value of the output
    /// variable ("yes"), else one character per position followed by "&lt;eos&gt;" (count and addition: "17" → 1, 7, &lt;eos&gt;).
    /// </summary>
    /// <exception cref="ArgumentException">The answer does not fit in the sequence after the trigger, or a character is no output value.</exception>
    public Dictionary<int, RaspValue> AnswerValues(AlignedSequence sequence, string answer, int row)
    {
        var output = Model.Config.OutputVariable;
        var values = new Dictionary<int, RaspValue>();
        if (output.Values.Contains(answer))
        {
            values[sequence.TriggerPosition] = answer;
            return values;
        }
        for (var k = 0; k <= answer.Length; k++)
        {
            RaspValue v = k < answer.Length ? answer[k].ToString() : "<eos>";
            if (!output.Values.Contains(v))
                throw new ArgumentException($"Row {row}: the answer '{answer}' is not an output of '{Program.Name}' (no value '{v}' in {output.Name}).");
            var p = sequence.TriggerPosition + k;
            if (p >= sequence.CompiledInput.Length)
                throw new ArgumentException($"Row {row}: the answer '{answer}' needs {answer.Length + 1} positions from the trigger but the sequence ends after {sequence.CompiledInput.Length - sequence.TriggerPosition}.");
            // The teacher writes one character per position, so the LM must predict one character per token (GPT-2's " 17" is one token).
            if (k < answer.Length && (p + 1 >= sequence.TokenTexts.Length || sequence.TokenTexts[p + 1] != answer[k].ToString()))
                throw new ArgumentException($"Row {row}: the teacher writes '{answer}' one character per position, but the LM's answer token after position {p} is " +
                    $"'{(p + 1 < sequence.TokenTexts.Length ? sequence.TokenTexts[p + 1] : "")}', not '{answer[k]}'; answers must be single-character tokens.");
            values[p] = v;
        }
        return values;
    }

    /// <summary>Verifies the teacher on every example (evaluator and task answer); throws naming the first failing input.</summary>
    /// <exception cref="TeacherNotExactException">The teacher is wrong somewhere.</exception>
    public TeacherReport Verify(IReadOnlyList<TeacherExample> examples, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        TeacherVerification.RequireExact(Model, Sop, examples, batchSize: 64, progress, cancellationToken);

    public void Dispose() => Model.Dispose();
}
