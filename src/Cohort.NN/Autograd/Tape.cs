using Cohort.Tensors;
using Cohort.Tensors.Random;

namespace Cohort.NN.Autograd;

/// <summary>
/// Records operations for reverse-mode differentiation and owns their memory. Tensors handed out
/// in one step are reused, in the same order, by the next one after <see cref="Reset"/>, so a
/// training step allocates nothing once the first has run.
/// </summary>
public sealed class Tape
{
    private readonly List<Slot> _slots = [];
    private readonly List<Tensor> _views = [];
    private readonly List<int[]> _ints = [];
    private Node[] _nodes = new Node[64];
    private int _slotsUsed;
    private int _viewsUsed;
    private int _intsUsed;
    private int _count;
    private RandomStream _random = RandomStream.Create(0);

    /// <summary>Training mode: dropout active, batch norm uses and updates batch statistics.</summary>
    public bool Training { get; set; } = true;

    /// <summary>When false, operations record nothing (evaluation, attacks' forward-only passes).</summary>
    public bool GradEnabled { get; set; } = true;

    /// <summary>Threads a single operation may use (1: single-threaded, the default).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>The stream dropout and other stochastic operations draw from.</summary>
    public ref RandomStream Random => ref _random;

    public int NodeCount => _count;

    /// <summary>The operations recorded since the last <see cref="Reset"/>, in order.</summary>
    public ReadOnlySpan<Node> Nodes => _nodes.AsSpan(0, _count);

    /// <summary>
    /// When true, linear and convolution operations skip their weight and bias gradients in
    /// <see cref="BackwardFrom"/>: a pass wanted only for the input gradients per-example norms read.
    /// </summary>
    internal bool InputGradientsOnly { get; set; }

    /// <summary>Plain SGD that operations apply to their weights during <see cref="BackwardFrom"/> (null: none).</summary>
    internal FusedSgd? FusedSgd { get; set; }

    /// <summary>Forgets the recorded operations and makes all arena memory reusable.</summary>
    public void Reset()
    {
        for (int i = 0; i < _count; i++)
        {
            _nodes[i] = default;
        }
        _count = 0;
        _slotsUsed = 0;
        _viewsUsed = 0;
        _intsUsed = 0;
    }

    /// <summary>Whether an output computed from these inputs needs a gradient.</summary>
    public bool NeedsGrad(Tensor a) => GradEnabled && a.RequiresGrad;

    public bool NeedsGrad(Tensor a, Tensor? b) => GradEnabled && (a.RequiresGrad || (b?.RequiresGrad ?? false));

    public bool NeedsGrad(Tensor a, Tensor? b, Tensor? c) => GradEnabled && (a.RequiresGrad || (b?.RequiresGrad ?? false) || (c?.RequiresGrad ?? false));

    /// <summary>An arena tensor; with <paramref name="requiresGrad"/> it gets a zeroed gradient.</summary>
    public Tensor Allocate(Shape shape, bool requiresGrad = false, string? name = null)
    {
        int size = shape.Size;
        Slot slot;
        if (_slotsUsed < _slots.Count)
        {
            slot = _slots[_slotsUsed];
        }
        else
        {
            slot = new Slot();
            _slots.Add(slot);
        }
        _slotsUsed++;
        if (slot.Data.Length < size)
        {
            slot.Data = new float[size];
        }
        var t = slot.Tensor ??= new Tensor(slot.Data, 0, shape);
        t.Rebind(slot.Data, 0, shape);
        t.Name = name;
        t.RequiresGrad = requiresGrad;
        if (requiresGrad)
        {
            if (slot.Grad.Length < size)
            {
                slot.Grad = new float[size];
            }
            t.AttachGrad(slot.Grad, 0);
            t.Grad.Clear();
        }
        return t;
    }

    /// <summary>A tensor sharing another's data and gradient memory under a new shape.</summary>
    public Tensor View(Tensor source, Shape shape)
    {
        if (shape.Size != source.Size)
        {
            throw new ArgumentException($"Cannot view '{source.Describe()}' as {shape}: element counts differ ({source.Size} vs {shape.Size}).");
        }
        Tensor view;
        if (_viewsUsed < _views.Count)
        {
            view = _views[_viewsUsed];
            view.Rebind(source.Buffer, source.Offset, shape);
        }
        else
        {
            view = new Tensor(source.Buffer, source.Offset, shape);
            _views.Add(view);
        }
        _viewsUsed++;
        view.Name = source.Name;
        view.RequiresGrad = GradEnabled && source.RequiresGrad;
        if (source.GradBuffer is { } grad)
        {
            view.AttachGrad(grad, source.GradOffset);
        }
        return view;
    }

    /// <summary>An arena integer buffer of at least <paramref name="length"/> elements (contents undefined).</summary>
    public int[] Ints(int length)
    {
        int[] buffer;
        if (_intsUsed < _ints.Count)
        {
            buffer = _ints[_intsUsed];
            if (buffer.Length < length)
            {
                buffer = new int[length];
                _ints[_intsUsed] = buffer;
            }
        }
        else
        {
            buffer = new int[length];
            _ints.Add(buffer);
        }
        _intsUsed++;
        return buffer;
    }

    /// <summary>Records an operation; the returned slot is filled in by the caller.</summary>
    public ref Node Record(IBackward function, Tensor output)
    {
        if (_count == _nodes.Length)
        {
            Array.Resize(ref _nodes, _nodes.Length * 2);
        }
        ref Node node = ref _nodes[_count++];
        node = default;
        node.Function = function;
        node.Output = output;
        return ref node;
    }

    /// <summary>Back-propagates from a scalar loss (its gradient seeded with 1).</summary>
    public void Backward(Tensor loss)
    {
        if (loss.Size != 1)
        {
            throw new ArgumentException($"Backward needs a scalar loss; '{loss.Describe()}' has {loss.Size} elements. Seed its gradient and call BackwardFrom instead.");
        }
        if (!loss.RequiresGrad || !loss.HasGrad)
        {
            throw new InvalidOperationException($"Loss '{loss.Describe()}' does not depend on anything that requires a gradient.");
        }
        float value = loss.Data[0];
        if (!float.IsFinite(value))
        {
            throw new ArithmeticException($"Loss '{loss.Describe()}' is not finite ({value}); the forward pass diverged.");
        }
        loss.Grad[0] = 1f;
        BackwardFrom();
    }

    /// <summary>Runs all recorded operations backwards; outputs' gradients must already be seeded.</summary>
    public void BackwardFrom() => BackwardThrough(_count);

    /// <summary>
    /// Runs the first <paramref name="nodeCount"/> recorded operations backwards (a second pass over
    /// the same forward, seeded at an intermediate output, e.g. per-example reweighted logits).
    /// </summary>
    internal void BackwardThrough(int nodeCount)
    {
        if (nodeCount < 0 || nodeCount > _count)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeCount), $"{nodeCount} operations asked for; {_count} are recorded.");
        }
        for (int i = nodeCount - 1; i >= 0; i--)
        {
            ref Node node = ref _nodes[i];
            node.Function.Backward(this, ref node);
        }
    }

    /// <summary>Zeroes the gradients of every arena tensor handed out since the last <see cref="Reset"/> (not the parameters').</summary>
    internal void ClearGradients()
    {
        for (int i = 0; i < _slotsUsed; i++)
        {
            if (_slots[i].Tensor is { RequiresGrad: true, HasGrad: true } t)
            {
                t.Grad.Clear();
            }
        }
    }

    private sealed class Slot
    {
        public float[] Data = [];
        public float[] Grad = [];
        public Tensor? Tensor;
    }
}
