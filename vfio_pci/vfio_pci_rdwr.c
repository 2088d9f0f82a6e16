// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci BAR, ROM and VGA access through read() and write() on the
 * device file, ioeventfds (VFIO_DEVICE_IOEVENTFD: BAR writes triggered by an
 * eventfd), and the lazy claiming and mapping of BARs that mmap() shares.
 *
 * Data goes through a kernel bounce buffer, so that no user memory is
 * touched while locks that the BAR page fault path takes are held.
 * Device accesses are naturally aligned and of at most 4 bytes, like
 * upstream 6.1: a longer access is a series of dword accesses.
 */
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vgaarb.h>
#include <asm/unaligned.h>

#include "vfio_pci_priv.h"

/* At most this many ioeventfds per device, like upstream */
#define VFIO_PCI_IOEVENTFD_MAX		1000

/*
 * An ioeventfd: each signal of its eventfd writes @data, @count bytes as
 * they are in memory, at @pos of BAR @bar.  On vdev->ioeventfds_list under
 * vdev->ioeventfds_lock, from VFIO_DEVICE_IOEVENTFD until the user deletes
 * it or close_device; its virqfd is disabled before it is freed.
 */
struct vfio_pci_ioeventfd {
	struct list_head	next;
	struct vfio_pci_device	*vdev;
	struct vfio_pci_virqfd	*virqfd;
	void __iomem		*addr;
	u64			data;
	u64			pos;
	int			bar;
	int			count;
	bool			test_mem;
};

/* Claims BAR @bar for vfio-pci and maps it into the kernel, once */
int vfio_pci_setup_barmap(struct vfio_pci_device *vdev, int bar)
{
	struct pci_dev *pdev = vdev->pdev;
	void __iomem *io;
	int ret = 0;

	mutex_lock(&vdev->bar_lock);
	if (vdev->barmap[bar])
		goto out_unlock;

	ret = vfio_fail_int(pci_request_selected_regions(pdev, 1 << bar,
							 vdev->vdev.ops->name));
	if (ret)
		goto out_unlock;

	io = vfio_fail_ptr(pci_iomap(pdev, bar, 0));
	if (!io) {
		pci_release_selected_regions(pdev, 1 << bar);
		ret = -ENOMEM;
		goto out_unlock;
	}
	vdev->barmap[bar] = io;

out_unlock:
	mutex_unlock(&vdev->bar_lock);
	return ret;
}

/* close_device: no user of the mappings is left */
void vfio_pci_release_barmaps(struct vfio_pci_device *vdev)
{
	int bar;

	mutex_lock(&vdev->bar_lock);
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!vdev->barmap[bar])
			continue;
		pci_iounmap(vdev->pdev, vdev->barmap[bar]);
		pci_release_selected_regions(vdev->pdev, 1 << bar);
		vdev->barmap[bar] = NULL;
	}
	mutex_unlock(&vdev->bar_lock);
}

/*
 * Moves @count bytes between @kbuf and offset @off of the mapping @io.
 * The range [@x_start, @x_end) is excluded (the MSI-X table, or what a
 * ROM BAR holds beyond its ROM): reads there return ones, writes are
 * dropped.  Memory BARs (@test_mem) are only touched while the user has
 * memory decode enabled: -EIO otherwise.
 */
static int vfio_pci_io_rw(struct vfio_pci_device *vdev, bool test_mem,
			  void __iomem *io, u8 *kbuf, loff_t off, size_t count,
			  size_t x_start, size_t x_end, bool iswrite)
{
	size_t fillable, n;

	if (test_mem) {
		down_read(&vdev->memory_lock);
		if (!vfio_pci_memory_enabled(vdev)) {
			up_read(&vdev->memory_lock);
			return -EIO;
		}
	}

	for (; count; count -= n, off += n, kbuf += n) {
		if (off < x_start)
			fillable = min_t(size_t, count, x_start - off);
		else if (off >= x_end)
			fillable = count;
		else
			fillable = 0;

		if (fillable >= 4 && !(off % 4)) {
			n = 4;
			if (iswrite)
				iowrite32(get_unaligned_le32(kbuf), io + off);
			else
				put_unaligned_le32(ioread32(io + off), kbuf);
		} else if (fillable >= 2 && !(off % 2)) {
			n = 2;
			if (iswrite)
				iowrite16(get_unaligned_le16(kbuf), io + off);
			else
				put_unaligned_le16(ioread16(io + off), kbuf);
		} else if (fillable) {
			n = 1;
			if (iswrite)
				iowrite8(*kbuf, io + off);
			else
				*kbuf = ioread8(io + off);
		} else {
			n = min_t(size_t, count, x_end - off);
			if (!iswrite)
				memset(kbuf, 0xff, n);
		}
	}

	if (test_mem)
		up_read(&vdev->memory_lock);
	return 0;
}

/*
 * Reads @count bytes at @off of the ROM BAR, of size @end.  The ROM is
 * mapped (and its BAR enabled) only for the access, under bar_lock, which
 * also keeps VFIO_DEVICE_GET_REGION_INFO from unmapping it meanwhile.
 */
static int vfio_pci_rom_read(struct vfio_pci_device *vdev, u8 *kbuf,
			     loff_t off, size_t count, size_t end)
{
	struct pci_dev *pdev = vdev->pdev;
	void __iomem *io;
	size_t size;
	int ret;

	mutex_lock(&vdev->bar_lock);
	io = pci_map_rom(pdev, &size);
	if (!io) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	/* The ROM can be smaller than its BAR: the rest reads as ones */
	ret = vfio_pci_io_rw(vdev, true, io, kbuf, off, count, size, end,
			     false);
	pci_unmap_rom(pdev, io);
out_unlock:
	mutex_unlock(&vdev->bar_lock);
	return ret;
}

/* The size of BAR (or ROM) @bar as the user sees it: 0 if there is none */
static resource_size_t vfio_pci_bar_size(struct pci_dev *pdev,
					 unsigned int bar)
{
	if (pci_resource_start(pdev, bar))
		return pci_resource_len(pdev, bar);
	if (bar == PCI_ROM_RESOURCE &&
	    pdev->resource[bar].flags & IORESOURCE_ROM_SHADOW)
		return VFIO_PCI_SHADOW_ROM_SIZE;
	return 0;
}

/*
 * Where a read() or write() of a region goes: the mapping @io (NULL: the
 * ROM, mapped for each access, of size @end), less the range [@x_start,
 * @x_end) that the user does not reach, and whether it is memory that
 * only answers with memory decode enabled (@test_mem).
 */
struct vfio_pci_access {
	void __iomem	*io;
	size_t		end;
	size_t		x_start;
	size_t		x_end;
	bool		test_mem;
};

/*
 * Moves @count bytes between the user's @buf and offset @pos of @a,
 * through a bounce buffer of at most a page.  Returns how many, or the
 * first error: like upstream, a failure fails the whole access.
 */
static ssize_t vfio_pci_bounce_rw(struct vfio_pci_device *vdev,
				  const struct vfio_pci_access *a,
				  char __user *buf, size_t count, loff_t pos,
				  bool iswrite)
{
	size_t done = 0, n;
	int ret = 0;
	u8 *kbuf;

	kbuf = vfio_fail_ptr(kmalloc(min_t(size_t, count, PAGE_SIZE),
				     GFP_KERNEL_ACCOUNT));
	if (!kbuf)
		return -ENOMEM;

	for (; done < count; done += n) {
		n = min_t(size_t, count - done, PAGE_SIZE);

		if (iswrite && copy_from_user(kbuf, buf + done, n)) {
			ret = -EFAULT;
			break;
		}

		if (!a->io)
			ret = vfio_pci_rom_read(vdev, kbuf, pos + done, n,
						a->end);
		else
			ret = vfio_pci_io_rw(vdev, a->test_mem, a->io, kbuf,
					     pos + done, n, a->x_start,
					     a->x_end, iswrite);
		if (ret)
			break;

		if (!iswrite && copy_to_user(buf + done, kbuf, n)) {
			ret = -EFAULT;
			break;
		}
	}
	kfree(kbuf);
	return ret ? ret : done;
}

ssize_t vfio_pci_bar_rw(struct vfio_pci_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = vdev->pdev;
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	/* vfio_pci_rw() checked the index: a BAR or the ROM */
	unsigned int bar = VFIO_PCI_OFFSET_TO_INDEX(*ppos);
	struct vfio_pci_access a = { };
	ssize_t done;
	int ret;

	a.end = vfio_pci_bar_size(pdev, bar);
	if (pos >= a.end)
		return -EINVAL;

	/* An access across the end of the BAR stops there */
	count = min_t(size_t, count, a.end - pos);

	if (bar != PCI_ROM_RESOURCE) {
		ret = vfio_pci_setup_barmap(vdev, bar);
		if (ret)
			return ret;
		/* Set once, cleared by close_device: no lock needed now */
		a.io = vdev->barmap[bar];

		/* The kernel owns the MSI-X table */
		if (bar == vdev->msix_bar) {
			a.x_start = vdev->msix_offset;
			a.x_end = vdev->msix_offset + vdev->msix_size;
		}
	}
	a.test_mem = pci_resource_flags(pdev, bar) & IORESOURCE_MEM;

	done = vfio_pci_bounce_rw(vdev, &a, buf, count, pos, iswrite);
	if (done >= 0)
		*ppos += done;
	return done;
}

/*
 * The VGA region (VFIO_PCI_VGA_REGION_INDEX) holds the legacy VGA ranges
 * at their own addresses: memory 0xa0000-0xbffff, I/O ports 0x3b0-0x3bb
 * and 0x3c0-0x3df.  Anything else in it is a hole (-EINVAL), and an
 * access stops at the end of its range.
 */
struct vfio_pci_vga_range {
	u32		first;
	u32		last;		/* inclusive */
	bool		ioport;
};

static const struct vfio_pci_vga_range vfio_pci_vga_ranges[] = {
	{ 0xa0000, 0xbffff, false },
	{ 0x3b0, 0x3bb, true },
	{ 0x3c0, 0x3df, true },
};

/*
 * read() and write() of the VGA region.  Each access has the VGA arbiter
 * route the range to this device for its duration; legacy VGA memory
 * does not depend on the memory enable bit.
 */
ssize_t vfio_pci_vga_rw(struct vfio_pci_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	const struct vfio_pci_vga_range *r = NULL;
	struct vfio_pci_access a = { };
	unsigned int i, rsrc;
	size_t len;
	ssize_t done;
	int ret;

	if (!vdev->has_vga)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(vfio_pci_vga_ranges); i++) {
		if (pos >= vfio_pci_vga_ranges[i].first &&
		    pos <= vfio_pci_vga_ranges[i].last)
			r = &vfio_pci_vga_ranges[i];
	}
	if (!r)
		return -EINVAL;

	len = r->last - r->first + 1;
	count = min_t(size_t, count, r->last - pos + 1);
	a.io = vfio_fail_ptr(r->ioport ? ioport_map(r->first, len) :
			     ioremap(r->first, len));
	if (!a.io)
		return -ENOMEM;

	rsrc = r->ioport ? VGA_RSRC_LEGACY_IO : VGA_RSRC_LEGACY_MEM;
	ret = vga_get_interruptible(vdev->pdev, rsrc);
	if (ret) {
		done = ret;
	} else {
		done = vfio_pci_bounce_rw(vdev, &a, buf, count,
					  pos - r->first, iswrite);
		vga_put(vdev->pdev, rsrc);
	}

	if (r->ioport)
		ioport_unmap(a.io);
	else
		iounmap(a.io);
	if (done >= 0)
		*ppos += done;
	return done;
}

/* Writes the ioeventfd's data: the bytes of the value as in memory */
static void vfio_pci_ioeventfd_write(struct vfio_pci_ioeventfd *ioeventfd)
{
	void __iomem *addr = ioeventfd->addr;
	u64 data = ioeventfd->data;

	switch (ioeventfd->count) {
	case 1:
		iowrite8(data, addr);
		break;
#ifdef __LITTLE_ENDIAN
	case 2:
		iowrite16(data, addr);
		break;
	case 4:
		iowrite32(data, addr);
		break;
	case 8:
		iowrite64(data, addr);
		break;
#else
	case 2:
		iowrite16be(data, addr);
		break;
	case 4:
		iowrite32be(data, addr);
		break;
	case 8:
		iowrite64be(data, addr);
		break;
#endif
	}
}

/* From the eventfd's wakeup: write now, unless memory_lock is contended */
static bool vfio_pci_ioeventfd_handler(void *opaque)
{
	struct vfio_pci_ioeventfd *ioeventfd = opaque;
	struct vfio_pci_device *vdev = ioeventfd->vdev;

	if (ioeventfd->test_mem) {
		if (!down_read_trylock(&vdev->memory_lock))
			return true;	/* let the thread wait for it */
		if (!vfio_pci_memory_enabled(vdev)) {
			up_read(&vdev->memory_lock);
			return false;
		}
	}

	vfio_pci_ioeventfd_write(ioeventfd);

	if (ioeventfd->test_mem)
		up_read(&vdev->memory_lock);
	return false;
}

static void vfio_pci_ioeventfd_thread(void *opaque)
{
	struct vfio_pci_ioeventfd *ioeventfd = opaque;
	struct vfio_pci_device *vdev = ioeventfd->vdev;

	if (ioeventfd->test_mem) {
		down_read(&vdev->memory_lock);
		if (!vfio_pci_memory_enabled(vdev)) {
			up_read(&vdev->memory_lock);
			return;
		}
	}

	vfio_pci_ioeventfd_write(ioeventfd);

	if (ioeventfd->test_mem)
		up_read(&vdev->memory_lock);
}

static void vfio_pci_ioeventfd_free(struct vfio_pci_ioeventfd *ioeventfd)
{
	lockdep_assert_held(&ioeventfd->vdev->ioeventfds_lock);

	vfio_pci_virqfd_disable(&ioeventfd->virqfd);
	list_del(&ioeventfd->next);
	ioeventfd->vdev->ioeventfds_nr--;
	kfree(ioeventfd);
}

/* The ioeventfd of BAR @bar with these parameters, or NULL */
static struct vfio_pci_ioeventfd *
vfio_pci_ioeventfd_find(struct vfio_pci_device *vdev, int bar, u64 pos,
			u64 data, int count)
{
	struct vfio_pci_ioeventfd *ioeventfd;

	lockdep_assert_held(&vdev->ioeventfds_lock);

	list_for_each_entry(ioeventfd, &vdev->ioeventfds_list, next) {
		if (ioeventfd->pos == pos && ioeventfd->bar == bar &&
		    ioeventfd->data == data && ioeventfd->count == count)
			return ioeventfd;
	}
	return NULL;
}

/* Adds an ioeventfd on eventfd @fd; BAR @bar is mapped */
static int vfio_pci_ioeventfd_add(struct vfio_pci_device *vdev, int bar,
				  u64 pos, u64 data, int count, int fd)
{
	struct vfio_pci_ioeventfd *ioeventfd;
	int ret;

	lockdep_assert_held(&vdev->ioeventfds_lock);

	if (vdev->ioeventfds_nr >= VFIO_PCI_IOEVENTFD_MAX)
		return -ENOSPC;

	ioeventfd = vfio_fail_ptr(kzalloc(sizeof(*ioeventfd),
					  GFP_KERNEL_ACCOUNT));
	if (!ioeventfd)
		return -ENOMEM;

	ioeventfd->vdev = vdev;
	ioeventfd->addr = vdev->barmap[bar] + pos;
	ioeventfd->data = data;
	ioeventfd->pos = pos;
	ioeventfd->bar = bar;
	ioeventfd->count = count;
	ioeventfd->test_mem = pci_resource_flags(vdev->pdev, bar) &
			      IORESOURCE_MEM;

	ret = vfio_pci_virqfd_enable(ioeventfd, vfio_pci_ioeventfd_handler,
				     vfio_pci_ioeventfd_thread,
				     &ioeventfd->virqfd, fd);
	if (ret) {
		kfree(ioeventfd);
		return ret;
	}

	list_add(&ioeventfd->next, &vdev->ioeventfds_list);
	vdev->ioeventfds_nr++;
	return 0;
}

/*
 * VFIO_DEVICE_IOEVENTFD: adds an ioeventfd writing @data (@count bytes) at
 * @offset of the device file, which must be in a BAR and not in the MSI-X
 * table; or, with @fd -1, deletes the one with the same parameters.
 */
int vfio_pci_ioeventfd(struct vfio_pci_device *vdev, u64 offset, u64 data,
		       int count, int fd)
{
	struct pci_dev *pdev = vdev->pdev;
	u64 pos = offset & VFIO_PCI_OFFSET_MASK;
	u64 index = VFIO_PCI_OFFSET_TO_INDEX(offset);
	struct vfio_pci_ioeventfd *ioeventfd;
	int ret, bar;

	/* Only BARs; @offset is the user's u64, any of its 64 bits set */
	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return -EINVAL;
	bar = index;

	/* @pos < 2^40 and @count <= 8: the sum cannot wrap */
	if (pos + count > pci_resource_len(pdev, bar))
		return -EINVAL;

	/* No way around the kernel's ownership of the MSI-X table */
	if (bar == vdev->msix_bar &&
	    !(pos + count <= vdev->msix_offset ||
	      pos >= vdev->msix_offset + vdev->msix_size))
		return -EINVAL;

	ret = vfio_pci_setup_barmap(vdev, bar);
	if (ret)
		return ret;

	mutex_lock(&vdev->ioeventfds_lock);

	ioeventfd = vfio_pci_ioeventfd_find(vdev, bar, pos, data, count);
	if (ioeventfd && fd == -1) {
		vfio_pci_ioeventfd_free(ioeventfd);
		ret = 0;
	} else if (ioeventfd) {
		ret = -EEXIST;
	} else if (fd < 0) {
		ret = -ENODEV;
	} else {
		ret = vfio_pci_ioeventfd_add(vdev, bar, pos, data, count, fd);
	}

	mutex_unlock(&vdev->ioeventfds_lock);
	return ret;
}

/* close_device: before the BAR mappings go */
void vfio_pci_ioeventfds_release(struct vfio_pci_device *vdev)
{
	struct vfio_pci_ioeventfd *ioeventfd, *tmp;

	mutex_lock(&vdev->ioeventfds_lock);
	list_for_each_entry_safe(ioeventfd, tmp, &vdev->ioeventfds_list, next)
		vfio_pci_ioeventfd_free(ioeventfd);
	mutex_unlock(&vdev->ioeventfds_lock);
}
