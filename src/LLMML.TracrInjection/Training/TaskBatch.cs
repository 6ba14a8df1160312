using static TorchSharp.torch;

namespace LLMML.TracrInjection.Training;

/// <summary>A right-padded batch of aligned sequences: ids, attention mask, next-token targets and the answer mask.</summary>
internal sealed record TaskBatch(Tensor Ids, Tensor AttentionMask, Tensor Targets, Tensor AnswerMask)
{
    public static TaskBatch Create(IReadOnlyList<InjectionExample> rows, long padId, Device device)
    {
        var t = rows.Max(r => r.Sequence.TokenIds.Length);
        var ids = new long[rows.Count * t];
        var mask = new long[rows.Count * t];
        var targets = new long[rows.Count * t];
        var answer = new float[rows.Count * t];
        for (var b = 0; b < rows.Count; b++)
        {
            var s = rows[b].Sequence;
            for (var i = 0; i < t; i++)
            {
                ids[b * t + i] = i < s.TokenIds.Length ? s.TokenIds[i] : padId;
                mask[b * t + i] = i < s.TokenIds.Length ? 1 : 0;
                targets[b * t + i] = i + 1 < s.TokenIds.Length ? s.TokenIds[i + 1] : 0;
            }
            foreach (var p in s.AnswerPositions) answer[b * t + p] = 1;
        }
        return new TaskBatch(tensor(ids, [rows.Count, t], device: device), tensor(mask, [rows.Count, t], device: device),
            tensor(targets, [rows.Count, t], device: device), tensor(answer, [rows.Count, t], device: device));
    }

    public static (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<int[]> rows, long padId, Device device)
    {
        var t = rows.Max(r => r.Length);
        var ids = new long[rows.Count * t];
        var mask = new long[rows.Count * t];
        for (var b = 0; b < rows.Count; b++)
            for (var i = 0; i < t; i++)
            {
                ids[b * t + i] = i < rows[b].Length ? rows[b][i] : padId;
                mask[b * t + i] = i < rows[b].Length ? 1 : 0;
            }
        return (tensor(ids, [rows.Count, t], device: device), tensor(mask, [rows.Count, t], device: device));
    }
}
