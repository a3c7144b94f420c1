using Cohort.NN.Autograd;
using Cohort.Tensors;
using Cohort.Tensors.Kernels;

namespace Cohort.NN.Ops;

/// <summary>Losses, averaged over the batch as PyTorch's default 'mean' reduction.</summary>
public static class LossOps
{
    /// <summary>Mean cross-entropy of logits [N, C] against integer labels in [0, C).</summary>
    public static Tensor CrossEntropy(this Tape tape, Tensor logits, ReadOnlySpan<int> labels)
    {
        const string op = "cross_entropy";
        OpError.Rank(op, logits, 2, "logits");
        int n = logits.Shape[0], classes = logits.Shape[1];
        if (labels.Length != n)
        {
            throw new ArgumentException($"{op}: {labels.Length} labels for logits '{logits.Describe()}' ({n} rows).");
        }
        OpError.Labels(op, labels, classes);
        bool grad = tape.NeedsGrad(logits);
        var logp = tape.Allocate(logits.Shape);
        Softmaxes.LogSoftmax(logits.Data, logp.Data, n, classes);
        var lp = logp.Data;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            total -= lp[i * classes + labels[i]];
        }
        var loss = tape.Allocate(Shape.Scalar, grad, "loss");
        loss.Data[0] = n == 0 ? 0f : (float)(total / n);
        if (grad)
        {
            var saved = tape.Ints(n);
            labels.CopyTo(saved);
            ref Node node = ref tape.Record(CrossEntropyBackward.Instance, loss);
            node.A = logits;
            node.S0 = logp;
            node.Ints = saved;
        }
        return loss;
    }

    /// <summary>Mean squared error over all elements.</summary>
    public static Tensor Mse(this Tape tape, Tensor prediction, Tensor target)
    {
        OpError.SameShape("mse", prediction, target);
        bool grad = tape.NeedsGrad(prediction, target);
        var p = prediction.Data;
        var t = target.Data;
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double d = p[i] - t[i];
            sum += d * d;
        }
        var loss = tape.Allocate(Shape.Scalar, grad, "loss");
        loss.Data[0] = p.Length == 0 ? 0f : (float)(sum / p.Length);
        if (grad)
        {
            ref Node node = ref tape.Record(MseBackward.Instance, loss);
            node.A = prediction;
            node.B = target;
        }
        return loss;
    }

    private sealed class CrossEntropyBackward : IBackward
    {
        public static readonly CrossEntropyBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor logits = node.A!;
            if (!logits.RequiresGrad)
            {
                return;
            }
            int n = logits.Shape[0], classes = logits.Shape[1];
            float scale = node.Output.Grad[0] / n;
            var lp = node.S0!.Data;
            var dx = logits.Grad;
            var labels = node.Ints!;
            for (int i = 0; i < n; i++)
            {
                int o = i * classes;
                for (int j = 0; j < classes; j++)
                {
                    dx[o + j] += scale * MathF.Exp(lp[o + j]);
                }
                dx[o + labels[i]] -= scale;
            }
        }
    }

    private sealed class MseBackward : IBackward
    {
        public static readonly MseBackward Instance = new();

        public void Backward(Tape tape, ref Node node)
        {
            Tensor p = node.A!, t = node.B!;
            int count = p.Size;
            float scale = 2f * node.Output.Grad[0] / count;
            var pd = p.Data;
            var td = t.Data;
            if (p.RequiresGrad)
            {
                var g = p.Grad;
                for (int i = 0; i < count; i++)
                {
                    g[i] += scale * (pd[i] - td[i]);
                }
            }
            if (t.RequiresGrad)
            {
                var g = t.Grad;
                for (int i = 0; i < count; i++)
                {
                    g[i] -= scale * (pd[i] - td[i]);
                }
            }
        }
    }
}
