using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.Rasp.Language;
using LLMML.Rasp.Torch.Verification;
using LLMML.TracrInjection.Alignment;
using LLMML.TracrInjection.Teachers;

namespace LLMML.TracrInjection.Training;

/// <summary>One training row: the aligned LM sequence (prompt + " " + answer + terminator) and the teacher's answer positions.</summary>
public sealed record InjectionExample(AlignedSequence Sequence, IReadOnlyDictionary<int, RaspValue> TeacherAnswers)
{
    /// <summary>The row as the teacher verification sees it.</summary>
    public TeacherExample ToTeacherExample() => new(Sequence.CompiledInput, TeacherAnswers);
}

/// <summary>Turns task rows into aligned sequences, compiles and verifies the teacher on all of them.</summary>
public static class InjectionData
{
    /// <summary>The aligner for <paramref name="model"/>'s tokens (each token's text is its own decoding).</summary>
    public static TokenAligner Aligner(LanguageModel model, AlignmentSpec spec) => new(spec, id => model.Decode([id]));

    /// <summary>
    /// Aligns every row (never truncated: a row longer than the LM's context is refused, naming it). Continuation =
    /// " " + answer + <paramref name="terminator"/>, split from the prompt as the scorer splits it.
    /// </summary>
    public static IReadOnlyList<AlignedSequence> Align(LanguageModel model, AlignmentSpec spec, IReadOnlyList<TaskExample> rows, string terminator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var aligner = Aligner(model, spec);
        var context = model.Config.MaxPositionEmbeddings;
        var result = new AlignedSequence[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (prompt, continuation) = model.EncodeContinuation(rows[i].Prompt, TaskFormat.Continuation(rows[i].Answer) + terminator);
            if (continuation.Length == 0) throw new ArgumentException($"Row {i}: the answer '{rows[i].Answer}' encodes to no tokens.");
            if (prompt.Length + continuation.Length > context)
                throw new ArgumentException($"Row {i}: prompt and answer take {prompt.Length + continuation.Length} tokens, more than the model's {context} positions (answers are never truncated).");
            result[i] = aligner.Align(prompt, continuation);
        }
        return result;
    }

    /// <summary>
    /// Compiles <paramref name="program"/> for the longest row and verifies it exact on every row (at every position
    /// against the evaluator, and at the answer positions against the task's answer) before it may teach.
    /// </summary>
    /// <exception cref="TeacherNotExactException">Names the first failing row.</exception>
    public static (InjectionTeacher Teacher, IReadOnlyList<InjectionExample> Examples, TeacherReport Report) PrepareTeacher(
        InjectionProgram program, IReadOnlyList<AlignedSequence> sequences, IReadOnlyList<TaskExample> rows,
        IProgress<Foundation.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("No training rows.", nameof(sequences));
        var teacher = InjectionTeacher.Compile(program, sequences.Max(s => s.TokenIds.Length));
        try
        {
            var examples = sequences.Select((s, i) => new InjectionExample(s, teacher.AnswerValues(s, rows[i].Answer, i))).ToList();
            var report = teacher.Verify(examples.Select(e => e.ToTeacherExample()).ToList(), progress, cancellationToken);
            return (teacher, examples, report);
        }
        catch
        {
            teacher.Dispose();
            throw;
        }
    }
}
