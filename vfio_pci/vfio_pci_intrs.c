// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci interrupts: VFIO_DEVICE_SET_IRQS for INTx, MSI and MSI-X, each
 * vector delivered to the user through an eventfd; INTx masking (by the
 * user, automatically on each interrupt, through the virtual
 * PCI_COMMAND_INTX_DISABLE bit, and unmasking through an eventfd); the
 * error and request eventfds.
 */
#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vfio_pci_priv.h"

/*
 * One interrupt vector of vdev->ctx.  @trigger and @name are set and
 * cleared under igate; the INTx handler reads @trigger with READ_ONCE().
 * @masked (INTx only) is protected by irqlock.
 */
struct vfio_pci_irq_ctx {
	struct eventfd_ctx	*trigger;
	char			*name;
	bool			masked;
	struct vfio_pci_virqfd	*unmask;
};

static bool is_intx(struct vfio_pci_device *vdev)
{
	return READ_ONCE(vdev->irq_type) == VFIO_PCI_INTX_IRQ_INDEX;
}

static bool is_irq_none(struct vfio_pci_device *vdev)
{
	return vdev->irq_type == VFIO_PCI_NUM_IRQS;
}

/*
 * INTx
 */
static void vfio_send_intx_eventfd(void *opaque)
{
	struct vfio_pci_device *vdev = opaque;
	struct eventfd_ctx *trigger;

	if (likely(is_intx(vdev) && !READ_ONCE(vdev->virq_disabled))) {
		trigger = READ_ONCE(vdev->ctx[0].trigger);
		if (likely(trigger))
			eventfd_signal(trigger, 1);
	}
}

/* Returns whether this masked INTx (it was not masked before) */
static bool __vfio_pci_intx_mask(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	bool changed = false;
	unsigned long flags;

	lockdep_assert_held(&vdev->igate);

	spin_lock_irqsave(&vdev->irqlock, flags);

	/*
	 * Without INTx in use (masking through the virtual INTx disable
	 * bit), the physical bit just follows the virtual one.
	 */
	if (!is_intx(vdev)) {
		if (vdev->pci_2_3)
			pci_intx(pdev, 0);
	} else if (!vdev->ctx[0].masked) {
		/* Always mask, not just when an interrupt is pending */
		if (vdev->pci_2_3)
			pci_intx(pdev, 0);
		else
			disable_irq_nosync(pdev->irq);
		vdev->ctx[0].masked = true;
		changed = true;
	}

	spin_unlock_irqrestore(&vdev->irqlock, flags);
	return changed;
}

/*
 * Unmasks INTx; returns true if the interrupt is still pending, so that
 * the caller signals the user again (it cannot do it from an eventfd's
 * wakeup, where this also runs).
 */
static bool vfio_pci_intx_unmask_handler(void *opaque)
{
	struct vfio_pci_device *vdev = opaque;
	struct pci_dev *pdev = vdev->pdev;
	bool pending = false;
	unsigned long flags;

	spin_lock_irqsave(&vdev->irqlock, flags);

	if (!is_intx(vdev)) {
		if (vdev->pci_2_3)
			pci_intx(pdev, 1);
	} else if (vdev->ctx[0].masked && !READ_ONCE(vdev->virq_disabled)) {
		/*
		 * A pending interrupt would fire right away: rather than
		 * taking it, resend it to the user and stay masked.
		 */
		if (vdev->pci_2_3)
			pending = !pci_check_and_unmask_intx(pdev);
		else
			enable_irq(pdev->irq);
		vdev->ctx[0].masked = pending;
	}

	spin_unlock_irqrestore(&vdev->irqlock, flags);
	return pending;
}

static void __vfio_pci_intx_unmask(struct vfio_pci_device *vdev)
{
	lockdep_assert_held(&vdev->igate);

	if (vfio_pci_intx_unmask_handler(vdev))
		vfio_send_intx_eventfd(vdev);
}

/* The virtual PCI_COMMAND_INTX_DISABLE bit changed (config write) */
void vfio_pci_intx_set_virq_disabled(struct vfio_pci_device *vdev,
				     bool disabled)
{
	mutex_lock(&vdev->igate);
	if (disabled && !vdev->virq_disabled) {
		WRITE_ONCE(vdev->virq_disabled, true);
		__vfio_pci_intx_mask(vdev);
	} else if (!disabled && vdev->virq_disabled) {
		WRITE_ONCE(vdev->virq_disabled, false);
		__vfio_pci_intx_unmask(vdev);
	}
	mutex_unlock(&vdev->igate);
}

static irqreturn_t vfio_intx_handler(int irq, void *dev_id)
{
	struct vfio_pci_device *vdev = dev_id;
	irqreturn_t ret = IRQ_NONE;
	unsigned long flags;

	spin_lock_irqsave(&vdev->irqlock, flags);

	if (!vdev->pci_2_3) {
		/* An exclusive interrupt: it is ours */
		disable_irq_nosync(vdev->pdev->irq);
		vdev->ctx[0].masked = true;
		ret = IRQ_HANDLED;
	} else if (!vdev->ctx[0].masked &&	/* it may be shared */
		   pci_check_and_mask_intx(vdev->pdev)) {
		vdev->ctx[0].masked = true;
		ret = IRQ_HANDLED;
	}

	spin_unlock_irqrestore(&vdev->irqlock, flags);

	if (ret == IRQ_HANDLED)
		vfio_send_intx_eventfd(vdev);
	return ret;
}

static int vfio_intx_enable(struct vfio_pci_device *vdev,
			    struct eventfd_ctx *trigger)
{
	struct pci_dev *pdev = vdev->pdev;
	unsigned long irqflags;
	char *name;
	int ret;

	if (!is_irq_none(vdev))
		return -EINVAL;

	if (!pdev->irq || pdev->irq == IRQ_NOTCONNECTED)
		return -ENODEV;

	name = vfio_fail_ptr(kasprintf(GFP_KERNEL_ACCOUNT, "vfio-intx(%s)",
				       pci_name(pdev)));
	if (!name)
		return -ENOMEM;

	vdev->ctx = vfio_fail_ptr(kzalloc(sizeof(*vdev->ctx),
					  GFP_KERNEL_ACCOUNT));
	if (!vdev->ctx) {
		kfree(name);
		return -ENOMEM;
	}
	vdev->num_ctx = 1;
	vdev->ctx[0].name = name;
	vdev->ctx[0].trigger = trigger;

	/*
	 * Start masked if the user disabled INTx in the command register.
	 * With DisINTx the physical bit then follows the mask state and the
	 * interrupt may be shared; without, the interrupt is exclusive and
	 * masked at the interrupt controller.  irq_type must be set before
	 * the handler can run.
	 */
	vdev->ctx[0].masked = vdev->virq_disabled;
	if (vdev->pci_2_3) {
		pci_intx(pdev, !vdev->ctx[0].masked);
		irqflags = IRQF_SHARED;
	} else {
		irqflags = vdev->ctx[0].masked ? IRQF_NO_AUTOEN : 0;
	}

	WRITE_ONCE(vdev->irq_type, VFIO_PCI_INTX_IRQ_INDEX);

	ret = vfio_fail_int(request_irq(pdev->irq, vfio_intx_handler,
					irqflags, vdev->ctx[0].name, vdev));
	if (ret) {
		WRITE_ONCE(vdev->irq_type, VFIO_PCI_NUM_IRQS);
		kfree(name);
		vdev->num_ctx = 0;
		kfree(vdev->ctx);
		vdev->ctx = NULL;
		return ret;
	}
	return 0;
}

static void vfio_intx_set_signal(struct vfio_pci_device *vdev,
				 struct eventfd_ctx *trigger)
{
	struct eventfd_ctx *old = vdev->ctx[0].trigger;

	WRITE_ONCE(vdev->ctx[0].trigger, trigger);

	/* Nobody may still be signalling the old one */
	if (old) {
		synchronize_irq(vdev->pdev->irq);
		vfio_pci_virqfd_flush_thread(&vdev->ctx[0].unmask);
		eventfd_ctx_put(old);
	}
}

static void vfio_intx_disable(struct vfio_pci_device *vdev)
{
	vfio_pci_virqfd_disable(&vdev->ctx[0].unmask);
	free_irq(vdev->pdev->irq, vdev);
	if (vdev->ctx[0].trigger)
		eventfd_ctx_put(vdev->ctx[0].trigger);
	kfree(vdev->ctx[0].name);
	WRITE_ONCE(vdev->irq_type, VFIO_PCI_NUM_IRQS);
	vdev->num_ctx = 0;
	kfree(vdev->ctx);
	vdev->ctx = NULL;
}

/*
 * MSI and MSI-X
 */
static irqreturn_t vfio_msihandler(int irq, void *arg)
{
	struct eventfd_ctx *trigger = arg;

	eventfd_signal(trigger, 1);
	return IRQ_HANDLED;
}

static int vfio_msi_enable(struct vfio_pci_device *vdev, int nvec, bool msix)
{
	unsigned int flag = msix ? PCI_IRQ_MSIX : PCI_IRQ_MSI;
	struct pci_dev *pdev = vdev->pdev;
	int ret;
	u16 cmd;

	if (!is_irq_none(vdev))
		return -EINVAL;

	vdev->ctx = vfio_fail_ptr(kcalloc(nvec, sizeof(*vdev->ctx),
					  GFP_KERNEL_ACCOUNT));
	if (!vdev->ctx)
		return -ENOMEM;

	/*
	 * The MSI-X table is in a BAR: the kernel needs memory decode.
	 * With fewer vectors than asked for, tell the user how many there
	 * are (a positive return, as upstream does).
	 */
	cmd = vfio_pci_memory_lock_and_enable(vdev);
	ret = vfio_fail_int(pci_alloc_irq_vectors(pdev, 1, nvec, flag));
	if (ret < nvec) {
		if (ret > 0)
			pci_free_irq_vectors(pdev);
		vfio_pci_memory_unlock_and_restore(vdev, cmd);
		kfree(vdev->ctx);
		vdev->ctx = NULL;
		return ret;
	}
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	vdev->num_ctx = nvec;
	WRITE_ONCE(vdev->irq_type, msix ? VFIO_PCI_MSIX_IRQ_INDEX :
					  VFIO_PCI_MSI_IRQ_INDEX);

	/* The virtual "multiple message capable": log2 of the vectors */
	if (!msix)
		WRITE_ONCE(vdev->msi_qmax, fls(nvec * 2 - 1) - 1);
	return 0;
}

static int vfio_msi_set_vector_signal(struct vfio_pci_device *vdev,
				      unsigned int vector, int fd, bool msix)
{
	struct vfio_pci_irq_ctx *ctx = &vdev->ctx[vector];
	struct pci_dev *pdev = vdev->pdev;
	struct eventfd_ctx *trigger;
	int irq, ret;
	char *name;
	u16 cmd;

	irq = pci_irq_vector(pdev, vector);
	if (irq < 0)
		return irq;

	if (ctx->trigger) {
		/* Masking an MSI-X vector writes its table entry */
		cmd = vfio_pci_memory_lock_and_enable(vdev);
		free_irq(irq, ctx->trigger);
		vfio_pci_memory_unlock_and_restore(vdev, cmd);
		kfree(ctx->name);
		ctx->name = NULL;
		eventfd_ctx_put(ctx->trigger);
		ctx->trigger = NULL;
	}

	if (fd < 0)
		return 0;

	name = vfio_fail_ptr(kasprintf(GFP_KERNEL_ACCOUNT, "vfio-msi%s[%d](%s)",
				       msix ? "x" : "", vector,
				       pci_name(pdev)));
	if (!name)
		return -ENOMEM;

	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger)) {
		kfree(name);
		return PTR_ERR(trigger);
	}

	/*
	 * The MSI-X table may have been cleared by a reset we did not see;
	 * the user cannot write it: restore the message we programmed.
	 */
	cmd = vfio_pci_memory_lock_and_enable(vdev);
	if (msix) {
		struct msi_msg msg;

		get_cached_msi_msg(irq, &msg);
		pci_write_msi_msg(irq, &msg);
	}
	ret = vfio_fail_int(request_irq(irq, vfio_msihandler, 0, name,
					trigger));
	vfio_pci_memory_unlock_and_restore(vdev, cmd);
	if (ret) {
		kfree(name);
		eventfd_ctx_put(trigger);
		return ret;
	}

	ctx->name = name;
	ctx->trigger = trigger;
	return 0;
}

static int vfio_msi_set_block(struct vfio_pci_device *vdev,
			      unsigned int start, unsigned int count,
			      s32 *fds, bool msix)
{
	unsigned int i, j;
	int ret = 0;

	if (start >= vdev->num_ctx || start + count > vdev->num_ctx)
		return -EINVAL;

	for (i = 0, j = start; i < count && !ret; i++, j++)
		ret = vfio_msi_set_vector_signal(vdev, j, fds ? fds[i] : -1,
						 msix);

	if (ret) {
		for (i = start; i < j; i++)
			vfio_msi_set_vector_signal(vdev, i, -1, msix);
	}
	return ret;
}

static void vfio_msi_disable(struct vfio_pci_device *vdev, bool msix)
{
	struct pci_dev *pdev = vdev->pdev;
	unsigned int i;
	u16 cmd;

	for (i = 0; i < vdev->num_ctx; i++)
		vfio_msi_set_vector_signal(vdev, i, -1, msix);

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	pci_free_irq_vectors(pdev);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	/* Disabling MSI cleared DisINTx: devices with broken INTx need it */
	if (vdev->nointx)
		pci_intx(pdev, 0);

	WRITE_ONCE(vdev->irq_type, VFIO_PCI_NUM_IRQS);
	vdev->num_ctx = 0;
	kfree(vdev->ctx);
	vdev->ctx = NULL;
}

/*
 * VFIO_DEVICE_SET_IRQS, one function per index and action
 */
static int vfio_pci_set_intx_unmask(struct vfio_pci_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (!is_intx(vdev) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		__vfio_pci_intx_unmask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			__vfio_pci_intx_unmask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(s32 *)data;

		if (fd >= 0)
			return vfio_pci_virqfd_enable(vdev,
						      vfio_pci_intx_unmask_handler,
						      vfio_send_intx_eventfd,
						      &vdev->ctx[0].unmask, fd);
		vfio_pci_virqfd_disable(&vdev->ctx[0].unmask);
	}
	return 0;
}

static int vfio_pci_set_intx_mask(struct vfio_pci_device *vdev,
				  unsigned int index, unsigned int start,
				  unsigned int count, u32 flags, void *data)
{
	if (!is_intx(vdev) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		__vfio_pci_intx_mask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			__vfio_pci_intx_mask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		return -ENOTTY;	/* a mask eventfd: not supported upstream */
	}
	return 0;
}

static int vfio_pci_set_intx_trigger(struct vfio_pci_device *vdev,
				     unsigned int index, unsigned int start,
				     unsigned int count, u32 flags, void *data)
{
	if (is_intx(vdev) && !count && (flags & VFIO_IRQ_SET_DATA_NONE)) {
		vfio_intx_disable(vdev);
		return 0;
	}

	if (!(is_intx(vdev) || is_irq_none(vdev)) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		struct eventfd_ctx *trigger = NULL;
		s32 fd = *(s32 *)data;
		int ret = 0;

		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}

		if (is_intx(vdev))
			vfio_intx_set_signal(vdev, trigger);
		else
			ret = vfio_intx_enable(vdev, trigger);

		if (ret && trigger)
			eventfd_ctx_put(trigger);
		return ret;
	}

	if (!is_intx(vdev))
		return -EINVAL;

	/* Loopback: the user signals itself */
	if (flags & VFIO_IRQ_SET_DATA_NONE)
		vfio_send_intx_eventfd(vdev);
	else if ((flags & VFIO_IRQ_SET_DATA_BOOL) && *(u8 *)data)
		vfio_send_intx_eventfd(vdev);
	return 0;
}

static int vfio_pci_set_msi_trigger(struct vfio_pci_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	bool msix = index == VFIO_PCI_MSIX_IRQ_INDEX;
	unsigned int i;
	int ret;

	if (vdev->irq_type == index && !count &&
	    (flags & VFIO_IRQ_SET_DATA_NONE)) {
		vfio_msi_disable(vdev, msix);
		return 0;
	}

	if (!(vdev->irq_type == index || is_irq_none(vdev)))
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 *fds = data;

		if (vdev->irq_type == index)
			return vfio_msi_set_block(vdev, start, count, fds,
						  msix);

		ret = vfio_msi_enable(vdev, start + count, msix);
		if (ret)
			return ret;

		ret = vfio_msi_set_block(vdev, start, count, fds, msix);
		if (ret)
			vfio_msi_disable(vdev, msix);
		return ret;
	}

	if (vdev->irq_type != index || start + count > vdev->num_ctx)
		return -EINVAL;

	/* Loopback: the user signals itself */
	for (i = start; i < start + count; i++) {
		if (!vdev->ctx[i].trigger)
			continue;
		if (flags & VFIO_IRQ_SET_DATA_NONE)
			eventfd_signal(vdev->ctx[i].trigger, 1);
		else if ((flags & VFIO_IRQ_SET_DATA_BOOL) &&
			 ((u8 *)data)[i - start])
			eventfd_signal(vdev->ctx[i].trigger, 1);
	}
	return 0;
}

/* The error and request indexes: one eventfd each */
static int vfio_pci_set_ctx_trigger_single(struct eventfd_ctx **ctx,
					   unsigned int count, u32 flags,
					   void *data)
{
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		/* count 0 releases the eventfd, 1 signals it */
		if (*ctx) {
			if (count) {
				eventfd_signal(*ctx, 1);
			} else {
				eventfd_ctx_put(*ctx);
				*ctx = NULL;
			}
			return 0;
		}
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (!count)
			return -EINVAL;
		if (*(u8 *)data && *ctx)
			eventfd_signal(*ctx, 1);
		return 0;
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		struct eventfd_ctx *efdctx;
		s32 fd;

		if (!count)
			return -EINVAL;

		fd = *(s32 *)data;
		if (fd == -1) {
			if (*ctx)
				eventfd_ctx_put(*ctx);
			*ctx = NULL;
		} else if (fd >= 0) {
			efdctx = eventfd_ctx_fdget(fd);
			if (IS_ERR(efdctx))
				return PTR_ERR(efdctx);
			if (*ctx)
				eventfd_ctx_put(*ctx);
			*ctx = efdctx;
		}
		return 0;
	}

	return -EINVAL;
}

static int vfio_pci_set_err_trigger(struct vfio_pci_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (index != VFIO_PCI_ERR_IRQ_INDEX || start != 0 || count > 1)
		return -EINVAL;

	return vfio_pci_set_ctx_trigger_single(&vdev->err_trigger, count,
					       flags, data);
}

static int vfio_pci_set_req_trigger(struct vfio_pci_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (index != VFIO_PCI_REQ_IRQ_INDEX || start != 0 || count > 1)
		return -EINVAL;

	return vfio_pci_set_ctx_trigger_single(&vdev->req_trigger, count,
					       flags, data);
}

/*
 * Applies a VFIO_DEVICE_SET_IRQS that vfio_set_irqs_validate_and_prepare()
 * accepted; @data holds its count elements of the data type in @flags.
 */
int vfio_pci_set_irqs(struct vfio_pci_device *vdev, u32 flags,
		      unsigned int index, unsigned int start,
		      unsigned int count, void *data)
{
	int (*func)(struct vfio_pci_device *vdev, unsigned int index,
		    unsigned int start, unsigned int count, u32 flags,
		    void *data) = NULL;

	lockdep_assert_held(&vdev->igate);

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		switch (flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
		case VFIO_IRQ_SET_ACTION_MASK:
			func = vfio_pci_set_intx_mask;
			break;
		case VFIO_IRQ_SET_ACTION_UNMASK:
			func = vfio_pci_set_intx_unmask;
			break;
		case VFIO_IRQ_SET_ACTION_TRIGGER:
			func = vfio_pci_set_intx_trigger;
			break;
		}
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		/* Masking MSI/MSI-X vectors is not supported (upstream too) */
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER)
			func = vfio_pci_set_msi_trigger;
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER && pci_is_pcie(vdev->pdev))
			func = vfio_pci_set_err_trigger;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER)
			func = vfio_pci_set_req_trigger;
		break;
	}

	if (!func)
		return -ENOTTY;

	return func(vdev, index, start, count, flags, data);
}

int vfio_pci_get_irq_count(struct vfio_pci_device *vdev, unsigned int index)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 flags;

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return vfio_pci_vconfig_intx_pin(vdev) ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (!pdev->msi_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS,
				     &flags);
		return 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (!pdev->msix_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     &flags);
		return (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	case VFIO_PCI_ERR_IRQ_INDEX:
		return pci_is_pcie(pdev) ? 1 : 0;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;
	}
}

/* close_device: interrupts off, eventfds released */
void vfio_pci_irqs_release(struct vfio_pci_device *vdev)
{
	mutex_lock(&vdev->igate);

	if (!is_irq_none(vdev))
		vfio_pci_set_irqs(vdev, VFIO_IRQ_SET_DATA_NONE |
				  VFIO_IRQ_SET_ACTION_TRIGGER,
				  vdev->irq_type, 0, 0, NULL);
	WRITE_ONCE(vdev->virq_disabled, false);

	if (vdev->err_trigger) {
		eventfd_ctx_put(vdev->err_trigger);
		vdev->err_trigger = NULL;
	}
	if (vdev->req_trigger) {
		eventfd_ctx_put(vdev->req_trigger);
		vdev->req_trigger = NULL;
	}

	mutex_unlock(&vdev->igate);
}

void vfio_pci_signal_err(struct vfio_pci_device *vdev)
{
	mutex_lock(&vdev->igate);
	if (vdev->err_trigger)
		eventfd_signal(vdev->err_trigger, 1);
	mutex_unlock(&vdev->igate);
}

/* ops->request: the kernel wants the device back (e.g. unbind) */
void vfio_pci_signal_req(struct vfio_pci_device *vdev, unsigned int count)
{
	struct pci_dev *pdev = vdev->pdev;

	mutex_lock(&vdev->igate);
	if (vdev->req_trigger) {
		if (!(count % 10))
			pci_notice_ratelimited(pdev,
					       "Relaying device request to user (#%u)\n",
					       count);
		eventfd_signal(vdev->req_trigger, 1);
	} else if (count == 0) {
		pci_warn(pdev,
			 "No device request channel registered, blocked until released by user\n");
	}
	mutex_unlock(&vdev->igate);
}
