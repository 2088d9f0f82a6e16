// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci virqfds: the generic plumbing from an eventfd to a handler,
 * described at struct vfio_pci_virqfd.  This file calls no other file of
 * vfio-pci (see vfio_pci_priv.h).
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "vfio_pci_priv.h"

/*
 * A virqfd runs @handler on each signal of an eventfd, from the eventfd's
 * wakeup (atomic context), and @thread from a work item if @handler
 * returns true.  A signal from a hard interrupt (the eventfd is also an
 * interrupt's trigger) runs both from a work item instead: a handler that
 * makes the device interrupt again (an ioeventfd writing the register
 * that raises the interrupt, an unmask of a still asserted INTx) would
 * otherwise keep the CPU in interrupts for good, a lockup any user could
 * build with one eventfd.  Used for the INTx unmask eventfd
 * (VFIO_IRQ_SET_ACTION_UNMASK with DATA_EVENTFD, as KVM's resampling
 * irqfds use it) and for ioeventfds (vfio_pci_rdwr.c).
 *
 * It hangs on the eventfd's wait queue.  Its owner pointer is set and
 * cleared under vfio_pci_virqfd_lock; whoever clears it (disable, or the
 * release of the eventfd, in atomic context) queues its shutdown on the
 * ordered vfio_pci_virqfd_wq, which frees it.  Disabling flushes that
 * workqueue, so nothing of it runs after vfio_pci_virqfd_disable().
 */
struct vfio_pci_virqfd {
	void			*opaque;
	bool			(*handler)(void *opaque);
	void			(*thread)(void *opaque);
	struct eventfd_ctx	*eventfd;
	struct vfio_pci_virqfd	**owner;
	wait_queue_entry_t	wait;
	poll_table		pt;
	struct work_struct	inject;
	struct work_struct	deferred;
	struct work_struct	flush_inject;
	struct work_struct	shutdown;
};

static struct workqueue_struct *vfio_pci_virqfd_wq;
static DEFINE_SPINLOCK(vfio_pci_virqfd_lock);

static int vfio_pci_virqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
				  int sync, void *key)
{
	struct vfio_pci_virqfd *virqfd =
		container_of(wait, struct vfio_pci_virqfd, wait);
	__poll_t events = key_to_poll(key);
	unsigned long flags;

	if (events & EPOLLIN) {
		u64 cnt;

		eventfd_ctx_do_read(virqfd->eventfd, &cnt);
		if (in_hardirq())
			schedule_work(&virqfd->deferred);
		else if (virqfd->handler(virqfd->opaque))
			schedule_work(&virqfd->inject);
	}

	if (events & EPOLLHUP) {
		/* The eventfd goes away: so do we, unless already going */
		spin_lock_irqsave(&vfio_pci_virqfd_lock, flags);
		if (*virqfd->owner == virqfd) {
			*virqfd->owner = NULL;
			queue_work(vfio_pci_virqfd_wq, &virqfd->shutdown);
		}
		spin_unlock_irqrestore(&vfio_pci_virqfd_lock, flags);
	}
	return 0;
}

static void vfio_pci_virqfd_queue_proc(struct file *file,
				       wait_queue_head_t *wqh, poll_table *pt)
{
	struct vfio_pci_virqfd *virqfd =
		container_of(pt, struct vfio_pci_virqfd, pt);

	add_wait_queue(wqh, &virqfd->wait);
}

static void vfio_pci_virqfd_inject(struct work_struct *work)
{
	struct vfio_pci_virqfd *virqfd =
		container_of(work, struct vfio_pci_virqfd, inject);

	virqfd->thread(virqfd->opaque);
}

/* A signal from a hard interrupt: the handler too, in process context */
static void vfio_pci_virqfd_deferred(struct work_struct *work)
{
	struct vfio_pci_virqfd *virqfd =
		container_of(work, struct vfio_pci_virqfd, deferred);

	if (virqfd->handler(virqfd->opaque))
		virqfd->thread(virqfd->opaque);
}

static void vfio_pci_virqfd_flush_inject(struct work_struct *work)
{
	struct vfio_pci_virqfd *virqfd =
		container_of(work, struct vfio_pci_virqfd, flush_inject);

	flush_work(&virqfd->deferred);
	flush_work(&virqfd->inject);
}

static void vfio_pci_virqfd_shutdown(struct work_struct *work)
{
	struct vfio_pci_virqfd *virqfd =
		container_of(work, struct vfio_pci_virqfd, shutdown);
	u64 cnt;

	eventfd_ctx_remove_wait_queue(virqfd->eventfd, &virqfd->wait, &cnt);
	flush_work(&virqfd->deferred);
	flush_work(&virqfd->inject);
	eventfd_ctx_put(virqfd->eventfd);
	kfree(virqfd);
}

/* Attaches a virqfd on eventfd @fd to *@owner, which must be free */
int vfio_pci_virqfd_enable(void *opaque, bool (*handler)(void *opaque),
			   void (*thread)(void *opaque),
			   struct vfio_pci_virqfd **owner, int fd)
{
	struct vfio_pci_virqfd *virqfd;
	struct eventfd_ctx *ctx;
	__poll_t events;
	struct fd f;
	int ret;

	virqfd = vfio_fail_ptr(kzalloc(sizeof(*virqfd), GFP_KERNEL_ACCOUNT));
	if (!virqfd)
		return -ENOMEM;

	virqfd->opaque = opaque;
	virqfd->handler = handler;
	virqfd->thread = thread;
	virqfd->owner = owner;
	INIT_WORK(&virqfd->inject, vfio_pci_virqfd_inject);
	INIT_WORK(&virqfd->deferred, vfio_pci_virqfd_deferred);
	INIT_WORK(&virqfd->flush_inject, vfio_pci_virqfd_flush_inject);
	INIT_WORK(&virqfd->shutdown, vfio_pci_virqfd_shutdown);

	f = fdget(fd);
	if (!f.file) {
		ret = -EBADF;
		goto err_free;
	}

	ctx = eventfd_ctx_fileget(f.file);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto err_fdput;
	}
	virqfd->eventfd = ctx;

	spin_lock_irq(&vfio_pci_virqfd_lock);
	if (*owner) {
		spin_unlock_irq(&vfio_pci_virqfd_lock);
		ret = -EBUSY;
		goto err_ctx_put;
	}
	*owner = virqfd;
	spin_unlock_irq(&vfio_pci_virqfd_lock);

	init_waitqueue_func_entry(&virqfd->wait, vfio_pci_virqfd_wakeup);
	init_poll_funcptr(&virqfd->pt, vfio_pci_virqfd_queue_proc);

	events = vfs_poll(f.file, &virqfd->pt);

	/* A signal that came before we were on the wait queue */
	if ((events & EPOLLIN) && handler(opaque))
		schedule_work(&virqfd->inject);

	/* Only now: a release of the eventfd must find us complete */
	fdput(f);
	return 0;

err_ctx_put:
	eventfd_ctx_put(ctx);
err_fdput:
	fdput(f);
err_free:
	kfree(virqfd);
	return ret;
}

/* Detaches and frees the virqfd of *@owner, if any */
void vfio_pci_virqfd_disable(struct vfio_pci_virqfd **owner)
{
	unsigned long flags;

	spin_lock_irqsave(&vfio_pci_virqfd_lock, flags);
	if (*owner) {
		queue_work(vfio_pci_virqfd_wq, &(*owner)->shutdown);
		*owner = NULL;
	}
	spin_unlock_irqrestore(&vfio_pci_virqfd_lock, flags);

	/* Also waits for a shutdown that the eventfd's release queued */
	flush_workqueue(vfio_pci_virqfd_wq);
}

/*
 * Waits until the work items of *@owner's virqfd queued so far are done:
 * e.g. until no inject of the INTx unmask eventfd uses an old trigger.
 */
void vfio_pci_virqfd_flush_thread(struct vfio_pci_virqfd **owner)
{
	unsigned long flags;

	spin_lock_irqsave(&vfio_pci_virqfd_lock, flags);
	if (*owner)
		queue_work(vfio_pci_virqfd_wq, &(*owner)->flush_inject);
	spin_unlock_irqrestore(&vfio_pci_virqfd_lock, flags);

	flush_workqueue(vfio_pci_virqfd_wq);
}

int vfio_pci_virqfd_init(void)
{
	vfio_pci_virqfd_wq = alloc_ordered_workqueue("vfio-pci-virqfd", 0);
	return vfio_pci_virqfd_wq ? 0 : -ENOMEM;
}

void vfio_pci_virqfd_exit(void)
{
	destroy_workqueue(vfio_pci_virqfd_wq);
}
