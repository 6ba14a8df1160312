using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: places blocks in layers. Each SOp gets the earliest sublayer after all of its
/// inputs are ready: heads in attention sublayers, MLPs in MLP sublayers, SelectorWidth in an
/// attention sublayer and the MLP right after. Half-layer h: even = attention, odd = MLP of layer h/2.
/// The depth is therefore the longest path from the inputs, as in tracr.
/// </summary>
public static class LayerAllocator
{
    public static List<IrLayer> Allocate(ProgramGraph graph, IReadOnlyDictionary<SOp, NodeBlocks?> blocks)
    {
        var ready = new Dictionary<SOp, int>();
        var placements = new List<(int Half, object Block)>();
        foreach (var sop in graph.SOps)
        {
            var deps = sop switch
            {
                AggregateSOp a => SelectorInputs(graph, a.Selector).Append(a.Inner),
                SelectorWidthSOp w => SelectorInputs(graph, w.Selector),
                _ => sop.Children.OfType<SOp>(),
            };
            var m = deps.Select(d => ready[d]).DefaultIfEmpty(-1).Max();
            var nb = blocks[sop];
            if (nb is null) { ready[sop] = -1; continue; }
            if (nb.Head is not null)
            {
                var h = NextWithParity(m, 0);
                placements.Add((h, nb.Head));
                if (nb.Mlp is not null) { placements.Add((h + 1, nb.Mlp)); h++; }
                ready[sop] = h;
            }
            else
            {
                var h = NextWithParity(m, 1);
                placements.Add((h, nb.Mlp!));
                ready[sop] = h;
            }
        }
        var count = placements.Count == 0 ? 0 : placements.Max(p => p.Half) / 2 + 1;
        var layers = Enumerable.Range(0, count).Select(_ => new IrLayer()).ToList();
        foreach (var (half, block) in placements)
        {
            if (block is AttentionHeadBlock head) layers[half / 2].Heads.Add(head);
            else layers[half / 2].Mlps.Add((MlpBlock)block);
        }
        return layers;
    }

    private static int NextWithParity(int after, int parity)
    {
        var h = after + 1;
        return (h & 1) == parity ? h : h + 1;
    }

    private static IEnumerable<SOp> SelectorInputs(ProgramGraph graph, Selector selector)
    {
        var s = SelectorSimplifier.Simplify(selector, graph);
        return [s.Keys, s.Queries];
    }
}
